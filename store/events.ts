import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type WriteError } from 'mongodb';
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
 * The inbox record of an event. Records are stored under `_id: eventId`, so every later read and
 * write of one event is a point access by `_id` (the only filter FerretDB 1.24 answers without
 * reading the whole collection); records from before that, under a generated `_id`, are moved to
 * their eventId by the `rekey-deliveries-events` migration (store/rekey.ts).
 */
async function findEvent(events: Collection<EventRecord>, eventId: string): Promise<EventRecord | null> {
  return events.findOne({ _id: eventId });
}

function inboxRecord(event: JourneyEvent, receivedAt: Date): EventRecord {
  return {
    _id: event.eventId,
    eventId: event.eventId,
    type: event.type,
    ...('customerId' in event && { customerId: event.customerId }),
    occurredAt: new Date(event.occurredAt),
    receivedAt,
    status: 'received',
    payload: event,
  };
}

/** What an event whose insert hit the unique key is: routed before (drop it) or not (route it again). */
async function seenBefore(events: Collection<EventRecord>, eventId: string): Promise<Acceptance> {
  const existing = await findEvent(events, eventId);
  if (existing?.status === 'routed') {
    const { routedTo = [], routedCount } = existing;
    return { kind: 'duplicate', routedTo, ...(routedCount !== undefined && { routedCount }) };
  }
  return { kind: 'unrouted' };
}

/** Inserts the event into the inbox, unique by eventId. */
export async function acceptEvent(
  events: Collection<EventRecord>,
  event: JourneyEvent,
  now: Date,
): Promise<Acceptance> {
  try {
    await events.insertOne(inboxRecord(event, now));
    return { kind: 'new' };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  return seenBefore(events, event.eventId);
}

/** An event of a batch and the time it was received. */
export interface Arrival {
  event: JourneyEvent;
  receivedAt: Date;
}

/**
 * acceptEvent for a batch of distinct eventIds, in one unordered insertMany: every record that is
 * new is inserted whatever happens to the others, and each one the unique key refused is judged as
 * acceptEvent judges it (its existing record read by `_id`). Any other write error fails the batch;
 * the records inserted stay, and a retry finds them unrouted and routes them.
 */
export async function acceptEvents(
  events: Collection<EventRecord>,
  arrivals: readonly Arrival[],
): Promise<Acceptance[]> {
  if (arrivals.length === 0) return [];
  const refused = new Set<number>();
  try {
    await events.insertMany(
      arrivals.map(({ event, receivedAt }) => inboxRecord(event, receivedAt)),
      { ordered: false },
    );
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const writeErrors = ([] as WriteError[]).concat(error.writeErrors);
    if (writeErrors.length === 0 || writeErrors.some((writeError) => !isDuplicateKeyError(writeError))) {
      throw error;
    }
    for (const writeError of writeErrors) refused.add(writeError.index);
  }
  return Promise.all(
    arrivals.map(({ event }, index) =>
      refused.has(index) ? seenBefore(events, event.eventId) : Promise.resolve<Acceptance>({ kind: 'new' }),
    ),
  );
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
  await events.updateOne({ _id: eventId }, routed);
}

/** What routing an event found: the runs it reached, as markRouted records them. */
export interface RoutedMark {
  eventId: string;
  routedTo: string[];
  routedCount?: number;
}

/**
 * Updates one bulkWrite carries. FerretDB 1.24 on SQLite never answers an `update` command of 100
 * statements or more (measured: 99 answer in ~0.2 s, 100 hang), nor eight concurrent ones of 50; 25
 * at a time, eight commands at once, answer. Every MongoDB takes any size.
 */
export const MARKS_PER_WRITE = 25;

/**
 * markRouted for many events, in unordered bulkWrites of updates by `_id` (MARKS_PER_WRITE a
 * command, one command at a time). Records from before `_id` was the eventId match none of those;
 * when fewer records matched than were marked, the same updates go again by `eventId` (unique and
 * indexed): setting the same fields twice is harmless.
 */
export async function markAllRouted(
  events: Collection<EventRecord>,
  marks: readonly RoutedMark[],
): Promise<void> {
  for (let from = 0; from < marks.length; from += MARKS_PER_WRITE) {
    await markSome(events, marks.slice(from, from + MARKS_PER_WRITE));
  }
}

async function markSome(events: Collection<EventRecord>, marks: readonly RoutedMark[]): Promise<void> {
  const update = ({ routedTo, routedCount }: RoutedMark) => ({
    $set: { status: 'routed' as const, routedTo, ...(routedCount !== undefined && { routedCount }) },
  });
  const byId: AnyBulkWriteOperation<EventRecord>[] = marks.map((mark) => ({
    updateOne: { filter: { _id: mark.eventId }, update: update(mark) },
  }));
  const { matchedCount } = await events.bulkWrite(byId, { ordered: false });
  if (matchedCount >= marks.length) return;
  const byEventId: AnyBulkWriteOperation<EventRecord>[] = marks.map((mark) => ({
    updateOne: { filter: { eventId: mark.eventId }, update: update(mark) },
  }));
  await events.bulkWrite(byEventId, { ordered: false });
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
