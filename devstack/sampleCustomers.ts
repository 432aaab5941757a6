import { assignArm, type Arm } from '../engine/holdout';

/**
 * The first `<prefix>-<n>` that the real assignment function puts in `arm`, so a demo or a test
 * can show a treatment or a control customer on purpose instead of by chance.
 */
export function customerInArm(prefix: string, arm: Arm, salt: string, holdoutPercent: number): string {
  for (let n = 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (assignArm(id, salt, holdoutPercent) === arm) return id;
  }
}

/**
 * An IANA zone where it is around noon at `now`, for sample customers whose SMS must not fall in
 * quiet hours whenever the demo or a test happens to run (Etc/GMT-N means UTC+N).
 */
export function daytimeZone(now: number = Date.now()): string {
  const offset = Math.max(-12, Math.min(14, 12 - new Date(now).getUTCHours()));
  return offset === 0 ? 'Etc/UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}
