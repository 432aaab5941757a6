import type { Collection } from 'mongodb';
import type { CostModel } from '../engine/offers/basket';
import {
  attributionSpan,
  countedEventTypes,
  firstEntries,
  needsTrigger,
  offerPayout,
  payableOfferIds,
  tallyPlaybook,
  type LiftEvidence,
  type PlaybookLiftData,
} from '../engine/measurement/liftTally';
import type { OfferPayout } from '../engine/measurement/orderEconomics';
import type { JourneyEvent } from '../schemas/events/schema';
import type { EventMatcher, Playbook } from '../schemas/playbook/schema';
import type { EntryRecord, EventRecord } from './collections';
import { storedEvent } from './events';
import type { OfferRecord } from './offers';
import { definitionOf, type PlaybookCollections } from './playbookVersions';

/*
 * Reads what `journeys report lift` judges: who entered (entries), what they did afterwards
 * (events), what the engaged offers earn (offers) and which definition's success metric applies
 * (playbook versions). The counting is engine/measurement/liftTally.ts; this only reads.
 */

export interface LiftQuery {
  playbookId?: string;
  /** Entries at or after this time. */
  from?: Date;
  /** Entries before this time. */
  to?: Date;
}

export interface LiftSources {
  entries: Collection<EntryRecord>;
  events: Collection<EventRecord>;
  offers: Collection<OfferRecord>;
  playbooks: PlaybookCollections;
}

/**
 * The definition whose success metric judges a playbook: the active version, or, for a playbook
 * paused or retired since, the version that was last activated, else the latest published. Runs
 * that entered with an older version are judged by this one's metric: one yardstick per report.
 */
async function successDefinition(
  collections: PlaybookCollections,
  playbookId: string,
): Promise<Playbook | undefined> {
  const state = await collections.states.findOne({ _id: playbookId });
  const activated =
    state?.activeHash === undefined
      ? null
      : await collections.versions.findOne({ playbookId, hash: state.activeHash });
  const version =
    activated ?? (await collections.versions.findOne({ playbookId }, { sort: { publishedAt: -1 } }));
  return version ? definitionOf(version) : undefined;
}

/** The entries in the range, oldest first. */
async function entriesInRange(entries: Collection<EntryRecord>, query: LiftQuery): Promise<EntryRecord[]> {
  const enteredAt = { ...(query.from && { $gte: query.from }), ...(query.to && { $lt: query.to }) };
  const filter = {
    ...(query.playbookId !== undefined && { playbookId: query.playbookId }),
    ...(Object.keys(enteredAt).length > 0 && { enteredAt }),
  };
  return entries.find(filter).sort({ enteredAt: 1 }).toArray();
}

/**
 * The counted types' events (countedEventTypes) in the span after the first entry, by customer.
 * One pass over the time range rather than one query per batch of customers: on the MongoDB-wire
 * servers we run, a `$in` over customers scans as much and is repeated per batch. Only the entered
 * customers' events are kept.
 */
async function eventsInSpan(
  events: Collection<EventRecord>,
  customers: ReadonlyMap<string, EntryRecord>,
  types: EventMatcher['event'][],
  from: number,
  to: number,
): Promise<Map<string, EventRecord[]>> {
  const byCustomer = new Map<string, EventRecord[]>();
  const cursor = events.find({
    type: { $in: types },
    occurredAt: { $gt: new Date(from), $lte: new Date(to) },
  });
  for await (const record of cursor) {
    const { customerId } = record;
    if (customerId === undefined || !customers.has(customerId)) continue;
    const event = { ...record, payload: storedEvent(record) };
    const own = byCustomer.get(customerId);
    if (own) own.push(event);
    else byCustomer.set(customerId, [event]);
  }
  return byCustomer;
}

/** The events that entered the runs, by eventId; catalog triggers included (they have no customer). */
async function entryEvents(
  events: Collection<EventRecord>,
  type: EventMatcher['event'],
  customers: ReadonlyMap<string, EntryRecord>,
  from: number,
  to: number,
): Promise<Map<string, JourneyEvent>> {
  const wanted = new Set([...customers.values()].map((entry) => entry.entryEventId));
  const out = new Map<string, JourneyEvent>();
  // An entry is recorded when its event is routed, which is at or after the event occurred.
  for await (const event of events
    .find({ type, occurredAt: { $lte: new Date(to) } })
    .sort({ occurredAt: -1 })) {
    if (wanted.has(event.eventId)) out.set(event.eventId, storedEvent(event));
    if (event.occurredAt.getTime() < from && out.size === wanted.size) break;
  }
  return out;
}

/** The named offers' payouts: a few offers looked up by the unique offerId, not the whole catalog. */
async function offerPayouts(
  offers: Collection<OfferRecord>,
  offerIds: ReadonlySet<string>,
): Promise<Map<string, OfferPayout>> {
  const out = new Map<string, OfferPayout>();
  if (offerIds.size === 0) return out;
  for await (const offer of offers.find({ offerId: { $in: [...offerIds] } }))
    out.set(offer.offerId, offerPayout(offer));
  return out;
}

/** What one playbook's first entries need to be judged, read once the success definition is known. */
async function evidenceFor(
  sources: LiftSources,
  definition: Playbook,
  customers: ReadonlyMap<string, EntryRecord>,
): Promise<LiftEvidence> {
  const { success } = definition;
  const span = attributionSpan([...customers.values()], success);
  const types = countedEventTypes(success.metric.event);
  const eventsByCustomer = await eventsInSpan(sources.events, customers, types, span.from, span.to);
  const triggerById = needsTrigger(success.metric)
    ? await entryEvents(sources.events, definition.trigger.event, customers, span.from, span.lastEntry)
    : new Map<string, JourneyEvent>();
  const payouts = await offerPayouts(sources.offers, payableOfferIds([...eventsByCustomer.values()].flat()));
  return { success, eventsByCustomer, triggerById, payouts };
}

/**
 * Per playbook (sorted by ID) and arm, for the entries in the range. The cost model (the
 * workspace's cost ratios) values order items that carry no cost of their own.
 */
export async function liftData(
  sources: LiftSources,
  query: LiftQuery,
  costModel: CostModel,
): Promise<PlaybookLiftData[]> {
  const byPlaybook = firstEntries(await entriesInRange(sources.entries, query));
  const out: PlaybookLiftData[] = [];
  for (const playbookId of [...byPlaybook.keys()].sort()) {
    const customers = byPlaybook.get(playbookId)!;
    const definition = await successDefinition(sources.playbooks, playbookId);
    const evidence = definition && (await evidenceFor(sources, definition, customers));
    out.push(tallyPlaybook(playbookId, [...customers.values()], evidence, costModel));
  }
  return out;
}
