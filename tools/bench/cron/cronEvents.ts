import type { Collection, Db } from 'mongodb';

/** The collection the naive cron polls: one document per event, the way a team without an engine queues work. */
export const CRON_EVENTS_COLLECTION = 'cron_events';

export interface CronEvent {
  /** The event's ID; also the idempotency key its mail carries, so the sink can count copies. */
  _id: string;
  status: 'new' | 'sent';
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
  sentAt?: Date;
}

export function cronEvents(db: Db): Collection<CronEvent> {
  return db.collection<CronEvent>(CRON_EVENTS_COLLECTION);
}

/** The load side: one insert per event. Its completion is "the event accepted". */
export async function insertCronEvent(
  events: Collection<CronEvent>,
  eventId: string,
  to: string,
): Promise<void> {
  await events.insertOne({
    _id: eventId,
    status: 'new',
    to,
    subject: 'You left something in your cart',
    text: `Your cart is waiting for you (${eventId}).`,
    createdAt: new Date(),
  });
}
