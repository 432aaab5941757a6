import type { Collection } from 'mongodb';
import type { ContactPoints } from '../engine/cartJourney';
import type { ProfileRecord } from './collections';

export interface ProfileFields {
  email?: string;
  phone?: string;
  firstName?: string;
  timezone?: string;
}

export async function upsertProfile(
  profiles: Collection<ProfileRecord>,
  customerId: string,
  fields: ProfileFields,
  now: Date,
): Promise<void> {
  await profiles.updateOne({ _id: customerId }, { $set: { ...fields, updatedAt: now } }, { upsert: true });
}

export interface Contact extends ContactPoints {
  firstName?: string;
}

/** A customer with no profile simply has no contact points; the journey records that as a suppression. */
export async function findContact(profiles: Collection<ProfileRecord>, customerId: string): Promise<Contact> {
  const profile = await profiles.findOne({ _id: customerId });
  const contact: Contact = {};
  if (profile?.email) contact.email = profile.email;
  if (profile?.phone) contact.phone = profile.phone;
  if (profile?.firstName) contact.firstName = profile.firstName;
  return contact;
}
