import { profileChanges, profileMaxima, profileMinima } from '../../../engine/profile/profileProjection';
import type { JourneyEvent } from '../../../schemas/events/schema';
import type { Collections, EventRecord, ProfileRecord } from '../../../store/collections';
import { DAY } from '../../demo/context';
import { generateDemoStore } from '../../demo/generate';

/*
 * A stored backlog, written straight into the collections publishing writes, so the ingest
 * benchmark can measure publishing on top of 100,000s of stored events without ingesting them at
 * the engine's own rate first. The documents are what publishing would have stored: each event's
 * inbox record (acceptEvent's shape, routed), and each customer's profile folded from its events
 * with the engine's own projection (engine/profile/profileProjection.ts). Runs, entries and
 * deliveries are not seeded: they grow with journeys, not with events.
 */

const INSERT_BATCH = 5000;
/** Customers per generated chunk: ~12 events each over 30 days, so ~25,000 events a chunk. */
const CHUNK_CUSTOMERS = 2000;
const DAYS = 30;

/** The demo store's customer events over the 30 days before `now`, one seed per chunk. */
export function demoEvents(options: { customers: number; seed: number; now: number }): JourneyEvent[] {
  return generateDemoStore({
    customers: options.customers,
    days: DAYS,
    seed: options.seed,
    start: options.now - DAYS * DAY,
  }).events;
}

/** The inbox record acceptEvent writes, as it stands once routed. */
export function inboxRecord(event: JourneyEvent): EventRecord {
  const at = new Date(event.occurredAt);
  return {
    _id: event.eventId,
    eventId: event.eventId,
    type: event.type,
    ...('customerId' in event && { customerId: event.customerId }),
    occurredAt: at,
    receivedAt: at,
    status: 'routed',
    routedTo: [],
    payload: event,
  };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/** Each customer's profile as applyProfileEvent leaves it after `events` (in time order). */
export function foldProfiles(events: readonly JourneyEvent[], now: Date): ProfileRecord[] {
  const profiles = new Map<string, Record<string, unknown>>();
  for (const event of events) {
    if (!('customerId' in event)) continue;
    let profile = profiles.get(event.customerId);
    if (profile === undefined) {
      profile = { _id: event.customerId, updatedAt: now };
      profiles.set(event.customerId, profile);
    }
    const at = new Date(event.occurredAt);
    Object.assign(profile, profileMaxima(event));
    const first = profileMinima(event);
    if (first !== undefined && profile.firstOrderAt === undefined) Object.assign(profile, first);
    for (const [path, value] of Object.entries(profileChanges(event) ?? {})) setPath(profile, path, value);
    if (event.type !== 'consent.updated' && profileChanges(event) !== undefined) profile.lastEventAt = at;
  }
  return [...profiles.values()] as unknown as ProfileRecord[];
}

/** Writes events' inbox records and their customers' profiles with insertMany in large batches. */
export async function insertStored(
  collections: Collections,
  events: readonly JourneyEvent[],
  now: Date,
): Promise<void> {
  for (let at = 0; at < events.length; at += INSERT_BATCH) {
    const batch = events.slice(at, at + INSERT_BATCH).map(inboxRecord);
    await collections.events.insertMany(batch, { ordered: false });
  }
  const profiles = foldProfiles(events, now);
  for (let at = 0; at < profiles.length; at += INSERT_BATCH) {
    await collections.profiles.insertMany(profiles.slice(at, at + INSERT_BATCH), { ordered: false });
  }
}

export function prefixed(event: JourneyEvent, prefix: string): JourneyEvent {
  const renamed = { ...event, eventId: `${prefix}${event.eventId}` } as JourneyEvent & {
    customerId?: string;
  };
  if ('customerId' in event) renamed.customerId = `${prefix}${event.customerId}`;
  return renamed;
}

/**
 * Seeds `count` more stored customer events (chunks of generated customers, their IDs prefixed
 * per chunk so chunks never collide with each other or with the measured sample). Returns the
 * number written and the chunk to start from next time.
 */
export async function seedStoredEvents(
  collections: Collections,
  options: { count: number; fromChunk: number; now: number },
): Promise<{ written: number; nextChunk: number }> {
  let written = 0;
  let chunk = options.fromChunk;
  while (written < options.count) {
    const events = demoEvents({ customers: CHUNK_CUSTOMERS, seed: 1000 + chunk, now: options.now })
      .filter((event) => 'customerId' in event)
      .slice(0, options.count - written)
      .map((event) => prefixed(event, `seed${chunk}-`));
    await insertStored(collections, events, new Date(options.now));
    written += events.length;
    chunk++;
  }
  return { written, nextChunk: chunk };
}
