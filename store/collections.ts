import type { Collection, Db, ObjectId } from 'mongodb';
import type { OfferDecision } from '../engine/offers/offer';
import type { OrderFact } from '../engine/triggers/timerCommands';
import type { SendIntent } from '../engine/contactPolicy/arbitration';
import type { LedgerEntry } from '../engine/contactPolicy/frequencyCaps';
import type { Profile } from '../engine/profile/profile';
import type { JourneyEvent } from '../schemas/events/schema';
import type { DecisionRecord } from './decisions';
import type { LiftAttributionRecord } from './liftAttributions';
import { ensureLiftCellIndexes, type LiftCellRecord, type LiftPlaybookRecord } from './liftCells';
import type { OfferRecord } from './offers';
import type { ProductRecord } from './products';
import type { ReorderPopulationRecord, ReorderSampleRecord } from './reorderSamples';
import type { CounterShardRecord, CounterWriterRecord } from './consoleCounts';
import type { RunCountMarker, RunSummaryRecord } from './runSummaries';

/**
 * `sending`: an attempt holds the key (under a lease) and may be calling the provider. `pending`: the
 * last attempt was refused outright (429, 4xx, no connection), so calling again is safe. `unknown`:
 * the answer was ambiguous (a dropped connection after the message went, a 5xx, a timeout). A lapsed
 * `sending` and an `unknown` are reconciled before any second call.
 */
export type DeliveryStatus = 'pending' | 'sending' | 'unknown' | 'sent' | 'suppressed' | 'failed';

/** Which journey step a message belongs to; the workflow builds it, every record carries it. */
export interface DeliveryIdentity {
  idempotencyKey: string;
  customerId: string;
  playbookId: string;
  playbookVersion: number;
  journeyId: string;
  entryEventId: string;
  step: string;
  arm: 'treatment' | 'control';
  /** The offer the message carries, and the context it was chosen in: sending it is an impression. */
  offer?: { offerId: string; contextKey: string };
}

/**
 * One message a journey wanted to send, keyed by its business idempotency key. A send writes the
 * record as `pending` before calling the provider and `sent` after, so a retry can tell the two apart.
 */
export interface DeliveryRecord extends DeliveryIdentity {
  /** The idempotency key; records from before that are keyed by a generated ObjectId. */
  _id?: string | ObjectId;
  status: DeliveryStatus;
  channel?: 'email' | 'sms';
  to?: string;
  subject?: string;
  /** Why nothing was sent: `holdout`, `no-contact`, or a provider's permanent refusal. */
  reason?: string;
  providerMessageId?: string;
  /** Provider calls made for this key; above 1 only after a refusal or a reconciled ambiguity. */
  attempts: number;
  /** While an attempt holds the key (`sending`): until then, no other attempt may act on it. */
  leaseUntil?: Date;
  /** A permanent refusal because of the recipient (SMTP 5xx, an invalid number): the channel is off. */
  bounce?: 'hard';
  /**
   * How an ambiguous outcome was settled: found at the provider, sent again after a worker died
   * mid-attempt (the provider may hold two copies under one Message-ID), or left unknown by policy.
   */
  reconciled?: 'found-at-provider' | 'resent-after-crash' | 'not-resent';
  createdAt: Date;
  updatedAt: Date;
}

/** One claimed provider call for a delivery: the unique `_id` (`key#attempt`) makes a claim atomic. */
export interface DeliveryAttempt {
  _id: string;
  idempotencyKey: string;
  attempt: number;
  claimedAt: Date;
}

/** A customer's profile: the engine's Profile, keyed by customer ID, plus bookkeeping. */
export interface ProfileRecord extends Omit<Profile, 'customerId'> {
  _id: string;
  /** occurredAt of the newest profile event applied: older ones are skipped. */
  lastEventAt?: Date;
  /** occurredAt of the newest change to each consent (`consentsAt.email.marketing`), judged alone. */
  consentsAt?: Partial<Record<string, Partial<Record<string, Date>>>>;
  updatedAt: Date;
}

/** One entry of a customer into a playbook, for the re-entry policy. */
export interface EntryRecord {
  journeyId: string;
  playbookId: string;
  playbookVersion: number;
  /** `v<version>@<content hash prefix>` of the definition the run entered with. */
  playbookLabel: string;
  customerId: string;
  keyValue?: string;
  entryEventId: string;
  arm: 'treatment' | 'control';
  /** The holdout scheme (`holdout_schemes` epoch) that assigned `arm`; absent before schemes were recorded. */
  holdoutEpoch?: number;
  enteredAt: Date;
}

/**
 * The latest entry of a customer into a playbook (per key value, for keyed playbooks), under an
 * `_id` built from the three: the entry rules read it with one point lookup on every routed event,
 * instead of querying `entries` (which FerretDB 1.24 answers by reading the whole collection).
 */
export interface EntryHeadRecord {
  _id: string;
  enteredAt: Date;
  entryEventId: string;
  journeyId: string;
}

/**
 * The runs a customer entered in one playbook, oldest first, under `_id` = JSON
 * `[playbookId, customerId]`: a goal that reaches every run of a keyed playbook finds them with one
 * point lookup (FerretDB 1.24 would answer a query on `entries` by reading all of it). Only the
 * latest ENTRY_RUNS_KEPT entries are kept: more live runs than that at once is not a customer.
 */
export interface EntryRunsRecord {
  _id: string;
  runs: EntryRun[];
}

/**
 * One entry in EntryRunsRecord: the entry itself but for the playbook and customer its list is of,
 * so `journeys explain` reads a customer's entries with one point read per playbook. Lists written
 * before that hold `journeyId` and `enteredAt` alone, beside the full form the backfill adds.
 */
export type EntryRun = Pick<EntryRecord, 'journeyId' | 'enteredAt'> &
  Partial<Omit<EntryRecord, 'journeyId' | 'enteredAt' | 'playbookId' | 'customerId'>>;

export type EventStatus = 'received' | 'routed';

/** The inbox of accepted events, unique by eventId: the first line of de-duplication. */
export interface EventRecord {
  /** The eventId; records from before that are keyed by a generated ObjectId. */
  _id?: string | ObjectId;
  eventId: string;
  type: JourneyEvent['type'];
  /** Absent for catalog events. */
  customerId?: string;
  occurredAt: Date;
  receivedAt: Date;
  status: EventStatus;
  /** Workflow IDs the event was delivered to, once routed (for a fan-out, the first of them). */
  routedTo?: string[];
  /** How many runs it reached, when more than routedTo lists. */
  routedCount?: number;
  payload: JourneyEvent;
}

/**
 * One version of a customer's recent sends and reservations. Each change inserts the next version
 * under a unique `_id` (`customer#version`), which makes a reserve one atomic write.
 */
export interface LedgerDoc {
  _id: string;
  customerId: string;
  version: number;
  entries: LedgerEntry[];
  /** Sends waiting for their arbitration window to close, and recent verdicts. */
  intents?: SendIntent[];
  updatedAt: Date;
  /** Wall-clock time of the write (updatedAt is the run's time): pruning waits until it is old. */
  writtenAt?: Date;
  /** This version's own random tag, and the tag of the version it was built on (absent before tags). */
  nonce?: string;
  parent?: string;
}

/**
 * One holdout assignment scheme: a salt and the global control share. `_id` is the epoch (1, 2, …):
 * inserting the next epoch under a unique `_id` makes a reshuffle one atomic, recorded write.
 */
export interface HoldoutSchemeRecord {
  _id: number;
  salt: string;
  /** Percent of all customers excluded from every playbook (the global control group). */
  globalControlPercent: number;
  /** Why it changed, and who changed it: a reshuffle is a decision, never an accident. */
  reason: string;
  by: string;
  createdAt: Date;
}

/**
 * One offer a decideOffer step chose, keyed by the decision (`<runKey>:<step>[#visit]`), stored
 * with its reasons and scores. Control customers get one too (what they would have been offered).
 */
export interface OfferGrantRecord {
  _id: string;
  customerId: string;
  playbookId: string;
  journeyId: string;
  arm: 'treatment' | 'control';
  offerId: string;
  kind: string;
  contextKey: string;
  decision: OfferDecision;
  decidedAt: Date;
}

/**
 * Which offers a customer was granted, one record per customer, so the per-customer cap of every
 * decision is one point read by `_id` (FerretDB 1.24 answers a query on `customerId` by reading the
 * whole grant collection). Entries are added with `$addToSet`, so a retry adds nothing twice.
 */
export interface OfferGrantTallyRecord {
  _id: string;
  /**
   * The grant's context and time, so an engagement finds the context it is learned under without
   * a query; absent from entries written before (the `offer-grant-tally-contexts` migration adds them).
   */
  grants: { offerId: string; decisionKey: string; contextKey?: string; decidedAt?: Date }[];
}

/**
 * What happened to offers, one insert per business event, under a unique `_id` so a retried
 * activity or a republished event counts once (an insert is idempotent and atomic, where a `$inc`
 * on FerretDB is neither):
 * - `shown` (`shown:<delivery key>`): a message carrying the offer was sent;
 * - `engaged` (`engaged:<messageId>:<offerId>`): the customer clicked or converted on it, once per message;
 * - `redeemed` (`redeemed:<orderId>:<offerId>`): an order used it; `amount` is its share of the discount;
 * - `paid` (`paid:<messageId>:<offerId>`): a partner offer earned its payout (`amount`).
 * `shown` and `engaged` are what the model learns from; `redeemed` and `paid` count against caps and budgets.
 */
export interface OfferOutcomeRecord {
  _id: string;
  offerId: string;
  contextKey: string;
  type: 'shown' | 'engaged' | 'redeemed' | 'paid';
  amount?: number;
  customerId?: string;
  at: Date;
  /** Days since the epoch (UTC) of `at`: the learned state rolls outcomes up by day. */
  day: number;
}

/**
 * A customer's newest orders (`_id` = customerId), oldest first: what their own cadence is
 * measured on. Maintained as orders are routed, so the computed triggers read one document by
 * `_id` per order instead of querying the inbox (FerretDB 1.24 answers that query by reading every
 * stored event). Written only from the router's lane for this customer: read, merge, write by `_id`.
 */
export interface CustomerOrdersRecord {
  _id: string;
  orders: { eventId: string; at: Date; items: OrderFact['items'] }[];
}

export interface Collections {
  deliveries: Collection<DeliveryRecord>;
  deliveryAttempts: Collection<DeliveryAttempt>;
  profiles: Collection<ProfileRecord>;
  /** Current stock and price by SKU (`_id`), from catalog events: what a send's recheck reads. */
  products: Collection<ProductRecord>;
  events: Collection<EventRecord>;
  entries: Collection<EntryRecord>;
  entryHeads: Collection<EntryHeadRecord>;
  entryRuns: Collection<EntryRunsRecord>;
  offers: Collection<OfferRecord>;
  ledger: Collection<LedgerDoc>;
  decisions: Collection<DecisionRecord>;
  holdoutSchemes: Collection<HoldoutSchemeRecord>;
  offerGrants: Collection<OfferGrantRecord>;
  offerGrantTallies: Collection<OfferGrantTallyRecord>;
  offerOutcomes: Collection<OfferOutcomeRecord>;
  /** Buyers' own reorder intervals by product: the population median of replenishment timing. */
  reorderSamples: Collection<ReorderSampleRecord>;
  /**
   * The lift rollup (store/liftAttributions.ts, store/liftCells.ts): per customer (by `_id`),
   * their entries and what each adds to the cells; per playbook, day and writer process, the cell
   * shards the report adds up.
   */
  liftAttributions: Collection<LiftAttributionRecord>;
  liftCells: Collection<LiftCellRecord>;
  liftPlaybooks: Collection<LiftPlaybookRecord>;
  /** A product's most recent buyers' intervals, one document per SKU (`_id`): what the median reads. */
  reorderPopulations: Collection<ReorderPopulationRecord>;
  /** A customer's newest orders, one document per customer (`_id`): what their cadence is measured on. */
  customerOrders: Collection<CustomerOrdersRecord>;
  /** Per run: decision count, step, whether it ended (store/runSummaries.ts). Read by `_id` only. */
  runSummaries: Collection<RunSummaryRecord>;
  runCountMarkers: Collection<RunCountMarker>;
  /** Console counts, one shard per counter and writer process (store/consoleCounts.ts). */
  counterShards: Collection<CounterShardRecord>;
  /** The writers of counter shards: a small collection, read whole. */
  counterWriters: Collection<CounterWriterRecord>;
}

export function collections(db: Db): Collections {
  return {
    deliveries: db.collection<DeliveryRecord>('deliveries'),
    deliveryAttempts: db.collection<DeliveryAttempt>('delivery_attempts'),
    profiles: db.collection<ProfileRecord>('profiles'),
    products: db.collection<ProductRecord>('products'),
    events: db.collection<EventRecord>('events'),
    entries: db.collection<EntryRecord>('entries'),
    entryHeads: db.collection<EntryHeadRecord>('entry_heads'),
    entryRuns: db.collection<EntryRunsRecord>('entry_runs'),
    offers: db.collection<OfferRecord>('offers'),
    ledger: db.collection<LedgerDoc>('contact_ledger'),
    decisions: db.collection<DecisionRecord>('decisions'),
    holdoutSchemes: db.collection<HoldoutSchemeRecord>('holdout_schemes'),
    offerGrants: db.collection<OfferGrantRecord>('offer_grants'),
    offerGrantTallies: db.collection<OfferGrantTallyRecord>('offer_grant_tallies'),
    offerOutcomes: db.collection<OfferOutcomeRecord>('offer_outcomes'),
    reorderSamples: db.collection<ReorderSampleRecord>('reorder_samples'),
    liftAttributions: db.collection<LiftAttributionRecord>('lift_attributions'),
    liftCells: db.collection<LiftCellRecord>('lift_cells'),
    liftPlaybooks: db.collection<LiftPlaybookRecord>('lift_playbooks'),
    reorderPopulations: db.collection<ReorderPopulationRecord>('reorder_populations'),
    customerOrders: db.collection<CustomerOrdersRecord>('customer_orders'),
    runSummaries: db.collection<RunSummaryRecord>('run_summaries'),
    runCountMarkers: db.collection<RunCountMarker>('run_count_markers'),
    counterShards: db.collection<CounterShardRecord>('counter_shards'),
    counterWriters: db.collection<CounterWriterRecord>('counter_writers'),
  };
}

/** Idempotent; run by the worker and the client at start-up. The unique indexes carry correctness. */
export async function ensureIndexes(db: Db): Promise<void> {
  const { deliveries, events, entries, profiles, decisions } = collections(db);
  await deliveries.createIndex({ idempotencyKey: 1 }, { unique: true, name: 'idempotencyKey_unique' });
  await deliveries.createIndex({ customerId: 1, createdAt: -1 }, { name: 'customer_recent' });
  await events.createIndex({ eventId: 1 }, { unique: true, name: 'eventId_unique' });
  await events.createIndex({ customerId: 1, occurredAt: -1 }, { name: 'customer_recent' });
  // Fan-out: who wishlisted or viewed a SKU lately. Covers the query (customerId included).
  await events.createIndex(
    { 'payload.data.sku': 1, type: 1, occurredAt: -1, customerId: 1 },
    { name: 'sku_interactions' },
  );
  await db
    .collection('contact_ledger')
    .createIndex({ customerId: 1, version: -1 }, { name: 'latest_version' });
  await profiles.createIndex({ loyaltyTier: 1, _id: 1 }, { name: 'loyaltyTier' });
  // Seasonal cohorts (store/audience.ts): who ordered or viewed a category lately, who has a tag.
  await events.createIndex(
    { type: 1, 'payload.data.items.category': 1, occurredAt: -1, customerId: 1 },
    { name: 'category_orders' },
  );
  await events.createIndex(
    { type: 1, 'payload.data.category': 1, occurredAt: -1, customerId: 1 },
    { name: 'category_views' },
  );
  await profiles.createIndex({ tags: 1, _id: 1 }, { name: 'tags' });
  // products: read and written by SKU only, which is `_id`; its built-in unique index is all it needs.
  await ensureEntryUnique(entries);
  await entries.createIndex({ playbookId: 1, customerId: 1, enteredAt: -1 }, { name: 'customer_latest' });
  // `journeys explain`: a customer's timeline across playbooks. Decisions are unique by `_id`.
  await entries.createIndex({ customerId: 1, enteredAt: -1 }, { name: 'customer_timeline' });
  // `journeys report lift`: a playbook's cell shards for a range of days.
  await ensureLiftCellIndexes(collections(db));
  await decisions.createIndex({ customerId: 1, at: 1 }, { name: 'customer_timeline' });
  const { offers, offerGrants, offerOutcomes } = collections(db);
  await offers.createIndex({ offerId: 1 }, { unique: true, name: 'offerId_unique' });
  // Per-customer caps: how often this customer was granted each offer.
  await offerGrants.createIndex({ customerId: 1, offerId: 1 }, { name: 'customer_offers' });
  // The learned state rolls outcomes up by day over the decay horizon.
  await offerOutcomes.createIndex({ day: 1 }, { name: 'by_day' });
  // The offer model's refresh (activities/offerModelCache.ts, every 30 s per worker, never per
  // event): the active catalog, and the redemptions and payouts that count against caps and budgets.
  await offers.createIndex({ active: 1 }, { name: 'active' });
  await offerOutcomes.createIndex({ type: 1, offerId: 1 }, { name: 'usage' });
  // reorder_populations and customer_orders are read and written by `_id` only.
}

/**
 * One entry per playbook, entry event and customer: a catalog event enters many customers. A
 * database made before fan-out has the index without customerId under the same name; it is
 * replaced (the old one would reject every fan-out entry after the first).
 */
async function ensureEntryUnique(entries: Collection<EntryRecord>): Promise<void> {
  const key = { playbookId: 1, entryEventId: 1, customerId: 1 } as const;
  try {
    await entries.createIndex(key, { unique: true, name: 'entry_unique' });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 86) throw error; // IndexKeySpecsConflict
    await entries.dropIndex('entry_unique');
    await entries.createIndex(key, { unique: true, name: 'entry_unique' });
  }
}
