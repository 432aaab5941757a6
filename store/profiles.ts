import type { Collection } from 'mongodb';
import { orderingTime } from '../schemas/events/occurredAtWindow';
import type { JourneyEvent } from '../schemas/events/schema';
import type { HardBounce, Profile } from '../engine/profile/profile';
import {
  isEarlierOrder,
  profileChanges,
  profileMaxima,
  profileMinima,
  stepChanges,
} from '../engine/profile/profileProjection';
import type { ProfileRecord } from './collections';
import { setIfNewer } from './setIfNewer';
import { upsertRacing } from './upsert';

export function toProfile(record: ProfileRecord | null, customerId: string): Profile {
  if (!record) return { customerId };
  const { _id, updatedAt: _u, lastEventAt: _l, consentsAt: _c, ...fields } = record;
  return { ...fields, customerId: _id };
}

export async function findProfile(profiles: Collection<ProfileRecord>, customerId: string): Promise<Profile> {
  return toProfile(await profiles.findOne({ _id: customerId }), customerId);
}

/** A customer's consent for one channel and purpose, and when it last changed (absent: never said). */
export interface ConsentState {
  granted?: boolean;
  changedAt?: Date;
}

/** Reads one consent as the profile holds it now, with the time of its latest change. */
export async function consentState(
  profiles: Collection<ProfileRecord>,
  customerId: string,
  channel: string,
  purpose: string,
): Promise<ConsentState> {
  const record = await profiles.findOne(
    { _id: customerId },
    { projection: { [`consents.${channel}.${purpose}`]: 1, [`consentsAt.${channel}.${purpose}`]: 1 } },
  );
  const granted = (record?.consents as Record<string, Record<string, unknown> | undefined> | undefined)?.[
    channel
  ]?.[purpose];
  const changedAt = record?.consentsAt?.[channel]?.[purpose];
  return {
    ...(typeof granted === 'boolean' && { granted }),
    ...(changedAt instanceof Date && { changedAt }),
  };
}

/**
 * Applies a profile event. An event older than the newest one applied is skipped, so a late
 * delivery never overwrites fresher data; fields that only move forward (the last order) take the
 * later value whatever order events arrive in.
 */
export async function applyProfileEvent(
  profiles: Collection<ProfileRecord>,
  event: JourneyEvent,
  now: Date,
): Promise<void> {
  if (!('customerId' in event)) return;
  const maxima = profileMaxima(event);
  if (maxima !== undefined) {
    // $max is atomic and order-free: a replay or a late delivery cannot move it back. Two first
    // writes for one customer can race on the upsert's insert; the loser applies as an update.
    const write = () =>
      profiles.updateOne(
        { _id: event.customerId },
        { $max: maxima, $set: { updatedAt: now } },
        { upsert: true },
      );
    await upsertRacing(write);
  }
  const first = profileMinima(event);
  if (first !== undefined) {
    // The profile exists now (the $max above upserted it). Set the pair only where it is older
    // than what is stored, so replays and late deliveries converge on the oldest. Read, then write,
    // both by `_id` (a filter on more than `_id` reads every profile on FerretDB 1.24): the
    // customer's events are routed one at a time, so nothing writes the pair in between.
    const { firstOrderAt, firstOrderId } = first;
    const stored = await profiles.findOne(
      { _id: event.customerId },
      { projection: { firstOrderAt: 1, firstOrderId: 1 } },
    );
    if (isEarlierOrder(stored ?? {}, first))
      await profiles.updateOne(
        { _id: event.customerId },
        { $set: { firstOrderAt, firstOrderId, updatedAt: now } },
      );
  }
  const changes = profileChanges(event);
  if (changes === undefined) return;
  // Never later than now: an event dated ahead by a fast clock must not outrank the updates after it.
  const at = orderingTime(event.occurredAt, now);
  // Consents are judged path by path, each against the time of its own latest change: an opt-out
  // that arrives late is still newer than everything said about that consent, whatever other
  // profile events came in between, and must not be dropped.
  const consents = Object.entries(changes).filter(([path]) => path.startsWith('consents.'));
  for (const [path, granted] of consents) {
    const stamp = `consentsAt.${path.slice('consents.'.length)}`;
    await setIfNewer(profiles, event.customerId, stamp, at, { [path]: granted, [stamp]: at, updatedAt: now });
  }
  const rest = Object.fromEntries(Object.entries(changes).filter(([path]) => !path.startsWith('consents.')));
  if (Object.keys(rest).length === 0 || event.type === 'consent.updated') return;
  await setIfNewer(profiles, event.customerId, 'lastEventAt', at, {
    ...rest,
    lastEventAt: at,
    updatedAt: now,
  });
}

/** Writes an `update` step: attributes and tags. */
export async function updateProfileFields(
  profiles: Collection<ProfileRecord>,
  customerId: string,
  update: { set?: Record<string, string | number | boolean>; addTags?: string[]; removeTags?: string[] },
  now: Date,
): Promise<void> {
  const profile = await findProfile(profiles, customerId);
  await profiles.updateOne(
    { _id: customerId },
    { $set: { ...stepChanges(profile, update), updatedAt: now } },
    { upsert: true },
  );
}

/**
 * Records a hard bounce against the customer: that address on that channel is not used again
 * (planRoute skips it) until the customer's address changes.
 */
export async function recordHardBounce(
  profiles: Collection<ProfileRecord>,
  customerId: string,
  channel: 'email' | 'sms',
  bounce: HardBounce,
  now: Date,
): Promise<void> {
  await profiles.updateOne(
    { _id: customerId },
    { $set: { [`bounced.${channel}`]: bounce, updatedAt: now } },
    { upsert: true },
  );
}

/** For tests and the demo: write a profile as a `customer.upserted` would. */
export async function upsertProfile(
  profiles: Collection<ProfileRecord>,
  customerId: string,
  fields: Omit<Profile, 'customerId'>,
  now: Date,
): Promise<void> {
  await profiles.updateOne({ _id: customerId }, { $set: { ...fields, updatedAt: now } }, { upsert: true });
}
