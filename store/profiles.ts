import type { Collection } from 'mongodb';
import type { JourneyEvent } from '../events/schema';
import type { Profile } from '../engine/profile';
import { profileChanges, stepChanges } from '../engine/profileProjection';
import { isDuplicateKeyError, type ProfileRecord } from './collections';

export function toProfile(record: ProfileRecord | null, customerId: string): Profile {
  if (!record) return { customerId };
  const { _id, updatedAt: _u, lastEventAt: _l, ...fields } = record;
  return { ...fields, customerId: _id };
}

export async function findProfile(profiles: Collection<ProfileRecord>, customerId: string): Promise<Profile> {
  return toProfile(await profiles.findOne({ _id: customerId }), customerId);
}

/**
 * Applies a profile event. An event older than the newest one applied is skipped, so a late
 * delivery never overwrites fresher data.
 */
export async function applyProfileEvent(
  profiles: Collection<ProfileRecord>,
  event: JourneyEvent,
  now: Date,
): Promise<void> {
  const changes = profileChanges(event);
  if (changes === undefined || !('customerId' in event)) return;
  const at = new Date(event.occurredAt);
  try {
    await profiles.updateOne(
      { _id: event.customerId, $or: [{ lastEventAt: { $lte: at } }, { lastEventAt: { $exists: false } }] },
      { $set: { ...changes, lastEventAt: at, updatedAt: now } },
      { upsert: true },
    );
  } catch (error) {
    // The filter missed because a newer event was applied; the upsert then collides on _id.
    if (!isDuplicateKeyError(error)) throw error;
  }
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

/** For tests and the demo: write a profile as a `customer.upserted` would. */
export async function upsertProfile(
  profiles: Collection<ProfileRecord>,
  customerId: string,
  fields: Omit<Profile, 'customerId'>,
  now: Date,
): Promise<void> {
  await profiles.updateOne({ _id: customerId }, { $set: { ...fields, updatedAt: now } }, { upsert: true });
}
