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
