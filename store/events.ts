import type { Collection } from 'mongodb';
import type { JourneyEvent } from '../events/schema';
import { isDuplicateKeyError, type EventRecord } from './collections';

export type Acceptance =
  | { kind: 'new' }
  /** Seen before but never routed (the publisher died mid-way): route it again. */
  | { kind: 'unrouted' }
  /** Seen and routed: drop it. */
  | { kind: 'duplicate'; routedTo: string[]; routedCount?: number };

/** Inserts the event into the inbox, unique by eventId. */
export async function acceptEvent(
  events: Collection<EventRecord>,
  event: JourneyEvent,
  now: Date,
): Promise<Acceptance> {
  try {
    await events.insertOne({
      eventId: event.eventId,
      type: event.type,
      ...('customerId' in event && { customerId: event.customerId }),
      occurredAt: new Date(event.occurredAt),
      receivedAt: now,
      status: 'received',
      payload: event,
    });
    return { kind: 'new' };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  const existing = await events.findOne({ eventId: event.eventId });
  if (existing?.status === 'routed') {
    const { routedTo = [], routedCount } = existing;
    return { kind: 'duplicate', routedTo, ...(routedCount !== undefined && { routedCount }) };
  }
  return { kind: 'unrouted' };
}

export async function markRouted(
  events: Collection<EventRecord>,
  eventId: string,
  routedTo: string[],
  routedCount?: number,
): Promise<void> {
  await events.updateOne(
    { eventId },
    { $set: { status: 'routed', routedTo, ...(routedCount !== undefined && { routedCount }) } },
  );
}
