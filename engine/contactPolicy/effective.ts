import type { ContactPolicy } from '../../schemas/policy/schema';
import { parseDuration } from '../time/duration';
import type { RunPolicy } from '../interpreter/types';

/**
 * The policy a run of `playbookId` applies: the workspace's caps and quiet hours plus the
 * playbook's overrides (rules add up, so the stricter one wins). Frozen into the run at entry.
 */
export function runPolicy(policy: ContactPolicy, playbookId: string): RunPolicy {
  const override = policy.overrides[playbookId];
  return {
    caps: [...policy.caps, ...(override?.caps ?? [])],
    quietHours: [...policy.quietHours, ...(override?.quietHours ?? [])],
    timezone: policy.timezone,
    weekStartsOn: policy.weekStartsOn,
    maxDeferralMs: parseDuration(policy.maxDeferral) ?? 0,
    marketingRequiresOptIn: [...policy.marketingRequiresOptIn],
    arbitrationWindowMs: parseDuration(policy.arbitrationWindow) ?? 0,
    timeZoneFromPhone: true,
  };
}
