import type { Db } from 'mongodb';
import { collections } from './collections';

/*
 * Newest-wins stamps written before occurredAt had a window (schemas/events/occurredAtWindow.ts): an event
 * dated 9999-12-31 left a stamp no later event could beat, so the profile or product stopped
 * changing. Bringing every stamp that lies in the future back to now lets the next event win again,
 * as the window and orderingTime now guarantee for new events.
 */

const CHANNELS = ['email', 'sms'];
const PURPOSES = ['transactional', 'marketing', 'personalization'];

/** Brings stamps later than `now` back to `now`; returns how many records changed. */
export async function clampFutureStamps(db: Db, now: Date): Promise<number> {
  const { profiles, products } = collections(db);
  const consentStamps = CHANNELS.flatMap((channel) =>
    PURPOSES.map((purpose) => `consentsAt.${channel}.${purpose}`),
  );
  let count = 0;
  for (const stamp of ['lastEventAt', ...consentStamps]) {
    const { modifiedCount } = await profiles.updateMany(
      { [stamp]: { $gt: now } },
      { $set: { [stamp]: now } },
    );
    count += modifiedCount;
  }
  for (const stamp of ['stock.at', 'price.at']) {
    const { modifiedCount } = await products.updateMany(
      { [stamp]: { $gt: now } },
      { $set: { [stamp]: now } },
    );
    count += modifiedCount;
  }
  return count;
}
