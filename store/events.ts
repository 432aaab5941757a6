import type { Collection } from 'mongodb';
import { normaliseEvent } from '../engine/events/normalise';
import type { JourneyEvent } from '../schemas/events/schema';
import { isDuplicateKeyError } from './duplicateKey';
import type { EventRecord } from './collections';

export type Acceptance =
  | { kind: 'new' }
  /** Seen before but never routed (the publisher died mid-way): route it again. */
  | { kind: 'unrouted' }
  /** Seen and routed: drop it. */
  | { kind: 'duplicate'; routedTo: string[]; routedCount?: number };

/**
 * The inbox record of an event. New records are stored under `_id: eventId`, so every later read
 * and write of one event is a point access by `_id` (the only filter FerretDB 1.24 answers without
 * reading the whole collection); records from before that kept a generated `_id` and are found by
 * `eventId` instead.
 */
async function findEvent(events: Collection<EventRecord>, eventId: string): Promise<EventRecord | null> {
  return (await events.findOne({ _id: eventId })) ?? events.findOne({ eventId });
}

/** Inserts the event into the inbox, unique by eventId. */
export async function acceptEvent(
  events: Collection<EventRecord>,
  event: JourneyEvent,
  now: Date,
): Promise<Acceptance> {
  try {
    await events.insertOne({
      _id: event.eventId,
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
  const existing = await findEvent(events, event.eventId);
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
  const routed = {
    $set: { status: 'routed' as const, routedTo, ...(routedCount !== undefined && { routedCount }) },
  };
  const { matchedCount } = await events.updateOne({ _id: eventId }, routed);
  if (matchedCount === 0) await events.updateOne({ eventId }, routed);
}

/**
 * The event an inbox record holds, in today's form. Records written before the renames of issue 15
 * hold the old form (engine/events/renamedFields.ts); every reader of `payload` goes through here
 * rather than a migration rewriting them: the normaliser exists anyway for Temporal histories, which
 * no migration can reach; the inbox keeps each event as it was accepted; and no renamed field is a
 * query filter, so no index or query has to know the old names.
 */
export function storedEvent(record: Pick<EventRecord, 'payload'>): JourneyEvent {
  return normaliseEvent(record.payload);
}
