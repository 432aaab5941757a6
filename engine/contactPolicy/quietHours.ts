import type { QuietHours } from '../../schemas/policy/schema';
import { inWindow, nextOpening, type Weekday } from '../interpreter/localTime';

const EVERY_DAY: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * When a send on `channel` due at `now` may go: `now` outside quiet hours, else the instant the
 * quiet window ends in the customer's timezone (e.g. 21:00–08:00 → the next 08:00 local).
 */
export function quietHoursEnd(
  rules: readonly QuietHours[],
  channel: 'email' | 'sms',
  now: number,
  timeZone: string,
): number {
  let until = now;
  for (const rule of rules) {
    if (rule.channel !== channel || !inWindow(until, timeZone, EVERY_DAY, rule.from, rule.to)) continue;
    // The quiet window ends where its complement, [to, from), next opens.
    until = nextOpening(until, timeZone, EVERY_DAY, rule.to, rule.from);
  }
  return until;
}
