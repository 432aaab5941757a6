import type { CapRule } from '../../policy/schema';
import { quietHoursEnd } from '../policy/quietHours';
import { safeTimeZone } from './localTime';
import type { Channel, RunPolicy, RunState } from './types';

/** A cap in words, for reasons and decision records: `email ≤ 1 per day`. */
export function capLabel(rule: CapRule): string {
  const window = 'rolling' in rule.window ? rule.window.rolling : rule.window.calendar;
  const scope = rule.playbook ? ` (${rule.playbook})` : rule.tag ? ` (tag ${rule.tag})` : '';
  return `${rule.channel} ≤ ${rule.max} per ${window}${scope}`;
}

/** The customer's timezone: the profile's, else the workspace default. */
export function customerTimeZone(state: RunState, policy: RunPolicy): string {
  return safeTimeZone(state.profile?.timezone ?? policy.timezone);
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
