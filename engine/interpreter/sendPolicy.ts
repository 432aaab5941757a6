import type { CapRule } from '../../schemas/policy/schema';
import { timeZoneOfPhone } from '../profile/phoneTimeZone';
import { quietHoursEnd } from '../contactPolicy/quietHours';
import { safeTimeZone } from './localTime';
import type { Channel, RunPolicy, RunState } from './types';

/** A cap in words, for reasons and decision records: `email ≤ 1 per day`. */
export function capLabel(rule: CapRule): string {
  const window = 'rolling' in rule.window ? rule.window.rolling : rule.window.calendar;
  const scope = rule.playbook ? ` (${rule.playbook})` : rule.tag ? ` (tag ${rule.tag})` : '';
  return `${rule.channel} ≤ ${rule.max} per ${window}${scope}`;
}

/**
 * The customer's timezone: the profile's, else the one the phone number tells (country, or area code
 * where the country spans zones), else the workspace default. Not frozen at entry like the policy:
 * it is worked out at each send, from the profile read for that send.
 */
export function customerTimeZone(state: RunState, policy: RunPolicy): string {
  const phone = state.profile?.phone;
  // Runs that entered before the phone lookup existed keep deciding as they did, so they replay.
  const fromPhone =
    phone === undefined || policy.timeZoneFromPhone !== true ? undefined : timeZoneOfPhone(phone);
  return safeTimeZone(state.profile?.timezone ?? fromPhone ?? policy.timezone);
}

/** Until when quiet hours hold a marketing send back; `now` when they do not. */
export function quietUntil(
  state: RunState,
  policy: RunPolicy,
  channel: Channel,
  transactional: boolean,
  now: number,
): number {
  if (transactional) return now; // receipts and the like are not marketing: they go at any hour
  return quietHoursEnd(policy.quietHours, channel, now, customerTimeZone(state, policy));
}
