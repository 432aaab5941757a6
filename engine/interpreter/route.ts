import type { Profile } from '../profile/profile';
import type { Channel } from './types';

export type Blocked = 'no-contact' | 'no-consent' | 'hard-bounce';
export type Route = { channel: Channel; to: string } | { blocked: Blocked };

function address(profile: Profile, channel: Channel): string | undefined {
  return channel === 'email' ? profile.email : profile.phone;
}

/**
 * Transactional always goes. Marketing needs an explicit opt-in (`true`) on channels where the
 * workspace requires one, and otherwise only the absence of an opt-out (`false`).
 */
function consented(
  profile: Profile,
  channel: Channel,
  purpose: 'marketing' | 'transactional',
  optInRequired: readonly Channel[],
): boolean {
  if (purpose === 'transactional') return true;
  const marketing = profile.consents?.[channel]?.marketing;
  return optInRequired.includes(channel) ? marketing === true : marketing !== false;
}

/**
 * The step's channel if the customer can be reached there (an address that has not hard-bounced)
 * and has not opted out, else its fallback.
 */
export function planRoute(
  profile: Profile,
  channel: Channel,
  fallback: Channel | undefined,
  purpose: 'marketing' | 'transactional',
  optInRequired: readonly Channel[] = [],
): Route {
  let blocked: Blocked = 'no-contact';
  for (const candidate of fallback === undefined ? [channel] : [channel, fallback]) {
    const to = address(profile, candidate);
    if (to === undefined) continue;
    if (profile.bounced?.[candidate]?.address === to) {
      if (blocked === 'no-contact') blocked = 'hard-bounce';
      continue;
    }
    if (!consented(profile, candidate, purpose, optInRequired)) {
      blocked = 'no-consent';
      continue;
    }
    return { channel: candidate, to };
  }
  return { blocked };
}
