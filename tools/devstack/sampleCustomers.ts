import { assignArm, inGlobalControl, type Arm, type HoldoutScheme } from '../../engine/measurement/holdout';

/**
 * The first `<prefix>-<n>` that the real assignment functions put in `arm` of a playbook, so a demo
 * or a test can show a treatment or a control customer on purpose instead of by chance. Customers
 * in the global control are skipped: they would enter no playbook at all.
 */
export function customerInArm(
  prefix: string,
  arm: Arm,
  scheme: HoldoutScheme,
  playbookId: string,
  holdout: number,
): string {
  return customerInArms(prefix, scheme, [{ playbookId, holdout, arm }]);
}

/** The first `<prefix>-<n>` in the wanted arm of every playbook listed (and not in the global control). */
export function customerInArms(
  prefix: string,
  scheme: HoldoutScheme,
  wanted: readonly { playbookId: string; holdout: number; arm: Arm }[],
): string {
  for (let n = 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (
      !inGlobalControl(id, scheme) &&
      wanted.every((w) => assignArm(id, w.playbookId, w.holdout, scheme) === w.arm)
    )
      return id;
  }
}

/** The first `<prefix>-<n>` in the global control group, which enters no playbook. */
export function customerInGlobalControl(prefix: string, scheme: HoldoutScheme): string {
  if (scheme.globalControlPercent <= 0) throw new Error('the scheme has no global control group');
  for (let n = 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (inGlobalControl(id, scheme)) return id;
  }
}

/**
 * A fixed-offset IANA zone (no daylight saving) where the local time at `now` is `hour`:mm, mm being
 * the UTC minutes: a demo or a test puts a customer's clock at the hour its scenario needs, whatever
 * time it runs at. Offsets run from UTC−9 to UTC+14, all of which exist (Etc/GMT-N means UTC+N).
 */
export function zoneWhereHourIs(hour: number, now: number): string {
  let offset = (((hour - new Date(now).getUTCHours()) % 24) + 24) % 24;
  if (offset > 14) offset -= 24;
  return offset === 0 ? 'Etc/UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/**
 * An IANA zone where it is around noon at `now`, for sample customers whose SMS must not fall in
 * quiet hours whenever the demo or a test happens to run.
 */
export function daytimeZone(now: number = Date.now()): string {
  return zoneWhereHourIs(12, now);
}
