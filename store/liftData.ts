import type { Collection } from 'mongodb';
import { parseDuration } from '../engine/time/duration';
import type { Arm } from '../engine/measurement/holdout';
import { matches } from '../engine/interpreter/entry';
import type { CostModel } from '../engine/offers/basket';
import type { JourneyEvent } from '../schemas/events/schema';
import type { ArmAggregate } from '../engine/measurement/lift';
import {
  addCustomer,
  customerEconomics,
  isPayableEngagement,
  noEconomics,
  type ArmEconomics,
  type OfferPayout,
} from '../engine/measurement/orderEconomics';
import type { EventMatcher, Playbook } from '../schemas/playbook/schema';
import type { EntryRecord, EventRecord } from './collections';
import type { OfferRecord } from './offers';
import type { PlaybookCollections } from './playbookVersions';

/*
 * The per-arm sums `journeys report lift` judges, read from who entered (entries) and what they
 * did afterwards (events). Attribution follows the playbook's own success definition: a
 * conversion is an event matching `success.metric` within `success.window` after entry. Discounts,
 * margin and partner payouts are read from the same window's orders and offer engagements.
 */

export interface LiftQuery {
  playbookId?: string;
  /** Entries at or after this time. */
  from?: Date;
  /** Entries before this time. */
  to?: Date;
}

export interface ArmData extends ArmAggregate, ArmEconomics {
  /** Customers who opted out of marketing (any channel) within the window after entry. */
  unsubscribes: number;
}

export type PlaybookLiftData = {
  playbookId: string;
  arms: Record<Arm, ArmData>;
  /**
   * Holdout scheme epochs the counted entries were assigned under (0: before schemes were
   * recorded). More than one means a reshuffle moved customers between arms inside the range.
   */
  holdoutEpochs: number[];
} & (
  | {
      success: Playbook['success'];
      /** Currencies of the order totals summed; more than one means revenue mixes currencies. */
      currencies: string[];
      /** Paid-for engagements naming an offer the catalog does not hold: not counted as revenue. */
      unpricedEngagements: number;
    }
  | { na: string }
);

export interface LiftSources {
  entries: Collection<EntryRecord>;
  events: Collection<EventRecord>;
  offers: Collection<OfferRecord>;
  playbooks: PlaybookCollections;
}

const emptyArm = (): ArmData => ({
  customers: 0,
  conversions: 0,
  revenue: 0,
  revenueSquares: 0,
  unsubscribes: 0,
  ...noEconomics(),
});

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
  return version?.definition;
}

/**
 * Each customer's first entry in the range, per playbook: a customer counts once, in the arm of
 * that entry, so a re-entering customer is not weighted more than one who entered once.
 */
async function firstEntries(
  entries: Collection<EntryRecord>,
  query: LiftQuery,
): Promise<Map<string, Map<string, EntryRecord>>> {
  const enteredAt = { ...(query.from && { $gte: query.from }), ...(query.to && { $lt: query.to }) };
  const filter = {
    ...(query.playbookId !== undefined && { playbookId: query.playbookId }),
    ...(Object.keys(enteredAt).length > 0 && { enteredAt }),
  };
  const byPlaybook = new Map<string, Map<string, EntryRecord>>();
  for await (const entry of entries.find(filter).sort({ enteredAt: 1 })) {
    let customers = byPlaybook.get(entry.playbookId);
    if (!customers) byPlaybook.set(entry.playbookId, (customers = new Map<string, EntryRecord>()));
    if (!customers.has(entry.customerId)) customers.set(entry.customerId, entry);
  }
  return byPlaybook;
}

function isMarketingOptOut(event: JourneyEvent): boolean {
  return event.type === 'consent.updated' && event.data.purpose === 'marketing' && !event.data.granted;
}

/** Whether the metric reads the entry event: matched on a trigger field, or a `trigger.…` condition. */
function needsTrigger(metric: EventMatcher): boolean {
  return metric.matchTriggerOn !== undefined || JSON.stringify(metric.where ?? {}).includes('"trigger.');
}

/**
 * The events that can count (the metric's type, orders, consent changes, offer engagements) from
 * the first entry to the last window's end, by customer. One pass over the time range rather than
 * one query per batch of customers: on the MongoDB-wire servers we run, a `$in` over customers
 * scans as much and is repeated per batch. Only the entered customers' events are kept.
 */
async function eventsInWindow(
  events: Collection<EventRecord>,
  customers: ReadonlyMap<string, EntryRecord>,
  metricEvent: EventMatcher['event'],
  from: number,
  to: number,
): Promise<Map<string, EventRecord[]>> {
  const byCustomer = new Map<string, EventRecord[]>();
  const cursor = events.find({
    type: {
      $in: [...new Set([metricEvent, 'order.placed', 'consent.updated', 'message.engaged'] as const)],
    },
    occurredAt: { $gt: new Date(from), $lte: new Date(to) },
  });
  for await (const event of cursor) {
    if (event.customerId === undefined || !customers.has(event.customerId)) continue;
    const own = byCustomer.get(event.customerId);
    if (own) own.push(event);
    else byCustomer.set(event.customerId, [event]);
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
    if (wanted.has(event.eventId)) out.set(event.eventId, event.payload);
    if (event.occurredAt.getTime() < from && out.size === wanted.size) break;
  }
  return out;
}

/**
 * What the catalog says each engaged offer earns, for the offers the engagements name: a few
 * offers looked up by the unique offerId rather than the whole catalog read.
 */
async function offerPayouts(
  offers: Collection<OfferRecord>,
  byCustomer: ReadonlyMap<string, EventRecord[]>,
): Promise<Map<string, OfferPayout>> {
  const offerIds = new Set<string>();
  for (const events of byCustomer.values())
    for (const { payload } of events) if (isPayableEngagement(payload)) offerIds.add(payload.data.offerId);
  const out = new Map<string, OfferPayout>();
  if (offerIds.size === 0) return out;
  for await (const offer of offers.find({ offerId: { $in: [...offerIds] } }))
    out.set(
      offer.offerId,
      offer.kind === 'partner'
        ? { kind: 'partner', payoutModel: offer.payoutModel, payout: offer.payout }
        : { kind: 'own' },
    );
  return out;
}

async function aggregatePlaybook(
  sources: LiftSources,
  costModel: CostModel,
  playbookId: string,
  customers: Map<string, EntryRecord>,
): Promise<PlaybookLiftData> {
  const arms: Record<Arm, ArmData> = { treatment: emptyArm(), control: emptyArm() };
  for (const entry of customers.values()) arms[entry.arm].customers += 1;
  const holdoutEpochs = [...new Set([...customers.values()].map((e) => e.holdoutEpoch ?? 0))].sort(
    (a, b) => a - b,
  );
  const definition = await successDefinition(sources.playbooks, playbookId);
  if (!definition)
    return { playbookId, arms, holdoutEpochs, na: 'no published definition, so no success metric' };
  const window = parseDuration(definition.success.window) ?? 0;
  const metric = definition.success.metric;
  const currencies = new Set<string>();
  const list = [...customers.values()];
  const earliest = Math.min(...list.map((e) => e.enteredAt.getTime()));
  const latest = Math.max(...list.map((e) => e.enteredAt.getTime()));
  const byCustomer = await eventsInWindow(sources.events, customers, metric.event, earliest, latest + window);
  const triggerById = needsTrigger(metric)
    ? await entryEvents(sources.events, definition.trigger.event, customers, earliest, latest)
    : new Map<string, JourneyEvent>();
  const payouts = await offerPayouts(sources.offers, byCustomer);
  let unpricedEngagements = 0;
  for (const entry of list) {
    const start = entry.enteredAt.getTime();
    // After entry, not at it: the event that entered the run is never its own conversion.
    const inWindow = (byCustomer.get(entry.customerId) ?? []).filter(
      (e) =>
        e.eventId !== entry.entryEventId &&
        e.occurredAt.getTime() > start &&
        e.occurredAt.getTime() <= start + window,
    );
    const trigger = triggerById.get(entry.entryEventId);
    const context = trigger === undefined ? {} : { trigger };
    const arm = arms[entry.arm];
    if (inWindow.some((e) => matches(metric, e.payload, context))) arm.conversions += 1;
    if (inWindow.some((e) => isMarketingOptOut(e.payload))) arm.unsubscribes += 1;
    // Revenue is every order in the window, converting or not: what the customer spent, not only
    // the order that counted as the conversion.
    let revenue = 0;
    for (const { payload } of inWindow) {
      if (payload.type !== 'order.placed') continue;
      revenue += payload.data.total;
      currencies.add(payload.data.currency);
    }
    arm.revenue += revenue;
    arm.revenueSquares += revenue * revenue;
    const economics = customerEconomics(
      inWindow.map((e) => e.payload),
      costModel,
      payouts,
    );
    addCustomer(arm, economics);
    unpricedEngagements += economics.unpricedEngagements;
  }
  return {
    playbookId,
    arms,
    holdoutEpochs,
    success: definition.success,
    currencies: [...currencies].sort(),
    unpricedEngagements,
  };
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
  const byPlaybook = await firstEntries(sources.entries, query);
  const out: PlaybookLiftData[] = [];
  for (const playbookId of [...byPlaybook.keys()].sort()) {
    out.push(await aggregatePlaybook(sources, costModel, playbookId, byPlaybook.get(playbookId)!));
  }
  return out;
}
