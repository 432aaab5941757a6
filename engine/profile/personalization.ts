import type { Profile } from './profile';

/*
 * The personalization purpose: whether what we know about a customer beyond who they are and how
 * to reach them (attributes, tags, loyalty tier, order history) may shape the message on a channel.
 * Withdrawn (`false`), the message is still sent if marketing consent allows it, but rendered from
 * the identity and the trigger alone: the cart a customer left is the subject of the message, not
 * profiling. Absent means allowed, as with marketing without a required opt-in.
 */

export function personalizationAllowed(profile: Profile, channel: 'email' | 'sms'): boolean {
  return profile.consents?.[channel]?.personalization !== false;
}

/** The profile a template may read on this channel. */
export function profileForMessage(profile: Profile, channel: 'email' | 'sms'): Profile {
  if (personalizationAllowed(profile, channel)) return profile;
  const { customerId, email, phone, firstName, lastName, timezone, consents } = profile;
  return {
    customerId,
    ...(email !== undefined && { email }),
    ...(phone !== undefined && { phone }),
    ...(firstName !== undefined && { firstName }),
    ...(lastName !== undefined && { lastName }),
    ...(timezone !== undefined && { timezone }),
    ...(consents !== undefined && { consents }),
  };
}
