import type { Channel } from '../engine/interpreter/types';
import type { OfferDecision } from '../engine/offers/offer';
import type { DeliveryRecord, EntryRecord, OfferGrantRecord } from '../store/collections';
import type { DecisionRecord } from '../store/decisions';

/*
 * `journeys explain`: one customer's entries, decisions, offer decisions and deliveries as a single
 * timeline. Pure: the command reads the lists, this merges them, the formatter prints them.
 */

/** A run entered: which definition it started with and which holdout arm it is in. */
export interface EntryItem {
  kind: 'entry';
  at: string;
  playbookId: string;
  journeyId: string;
  entryEventId: string;
  playbookVersion: number;
  playbookLabel: string;
  arm: 'treatment' | 'control';
  keyValue?: string;
}

/** What a run decided, with the cap, count or arbitration winner behind it when there was one. */
export type DecisionItem = { kind: 'decision' } & Omit<DecisionRecord, '_id' | 'customerId' | 'recordedAt'>;

/**
 * An offer a decideOffer step chose (for a control customer, the one it would have shown), with the
 * scores and reasons stored with it. `offerKind`, because `kind` names the item.
 */
/** The decision's own fields, as stored; `scores` is absent on decisions from before scoring. */
type OfferTerms = Pick<
  OfferDecision,
  | 'offerId'
  | 'title'
  | 'code'
  | 'discountPercent'
  | 'discountAmount'
  | 'brand'
  | 'category'
  | 'payoutModel'
  | 'contextKey'
  | 'reasons'
  | 'rejected'
> &
  Partial<Pick<OfferDecision, 'scores'>>;

export interface OfferItem extends OfferTerms {
  kind: 'offer';
  at: string;
  playbookId: string;
  journeyId: string;
  /** The decideOffer step, with `#<visit>` from its second visit on, as in the decision key. */
  step: string;
  arm: 'treatment' | 'control';
  offerKind: OfferDecision['kind'];
  /** The grant's `_id`, `<runKey>:<step>[#visit]`: the decision's business key, which also seeds its exploration. */
  decisionKey: string;
}

/** A message as the delivery record has it, dated when the send began. */
export interface DeliveryItem {
  kind: 'delivery';
  at: string;
  playbookId: string;
  journeyId: string;
  entryEventId: string;
  step: string;
  status: DeliveryRecord['status'];
  channel?: Channel;
  to?: string;
  subject?: string;
  reason?: string;
  attempts: number;
  providerMessageId?: string;
  /** The offer the message carried (for a control customer, would have carried). */
  offer?: { offerId: string; contextKey: string };
  idempotencyKey: string;
  updatedAt: string;
}

export type TimelineItem = EntryItem | DecisionItem | OfferItem | DeliveryItem;

export interface TimelineSources {
  entries: readonly EntryRecord[];
  decisions: readonly DecisionRecord[];
  /** Optional so that a caller that does not read grants (the demo) need not pretend to. */
  offers?: readonly OfferGrantRecord[];
  deliveries: readonly DeliveryRecord[];
}

/**
 * At one instant a run enters, then decides, then its delivery is written. A grant has no `seq`, so
 * its place among the run's decision records of that instant is unknown; it goes after them, and
 * before the deliveries, because the message it chose for is sent after it.
 */
const KIND_ORDER: Record<TimelineItem['kind'], number> = { entry: 0, decision: 1, offer: 2, delivery: 3 };

/**
 * Merges the lists into one, oldest first; with `limit`, the newest `limit` items. Ties go entry,
 * decision, offer, delivery (see KIND_ORDER); decisions of one run by `seq`.
 */
export function explainTimeline(sources: TimelineSources, limit?: number): TimelineItem[] {
  const items = [
    ...sources.entries.map(entryItem),
    ...sources.decisions.map(decisionItem),
    ...(sources.offers ?? []).map(offerItem),
    ...sources.deliveries.map(deliveryItem),
  ].sort(compareItems);
  return limit === undefined ? items : items.slice(Math.max(0, items.length - limit));
}

function compareItems(a: TimelineItem, b: TimelineItem): number {
  // Every `at` is toISOString's (decisions are logged with it): fixed-width UTC, so text order is time order.
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (a.kind === 'decision' && b.kind === 'decision') {
    if (a.journeyId !== b.journeyId) return a.journeyId < b.journeyId ? -1 : 1;
    if (a.entryEventId !== b.entryEventId) return a.entryEventId < b.entryEventId ? -1 : 1;
    return a.seq - b.seq;
  }
  return 0; // Array.prototype.sort is stable: the store's order stands
}

function entryItem(entry: EntryRecord): EntryItem {
  return {
    kind: 'entry',
    at: entry.enteredAt.toISOString(),
    playbookId: entry.playbookId,
    journeyId: entry.journeyId,
    entryEventId: entry.entryEventId,
    playbookVersion: entry.playbookVersion,
    playbookLabel: entry.playbookLabel,
    arm: entry.arm,
    ...(entry.keyValue !== undefined && { keyValue: entry.keyValue }),
  };
}

function decisionItem(record: DecisionRecord): DecisionItem {
  return {
    kind: 'decision',
    at: record.at,
    playbookId: record.playbookId,
    journeyId: record.journeyId,
    entryEventId: record.entryEventId,
    seq: record.seq,
    playbookVersion: record.playbookVersion,
    step: record.step,
    action: record.action,
    ...optional(record, ['channel', 'reason', 'by', 'offerId', 'rule', 'count', 'winner']),
  };
}

/**
 * A decision as it may be stored: the type says scores and rejected are always there, but decisions
 * recorded before scoring lack them (see OfferDecision), and explain must not fail on old records.
 */
type StoredOfferDecision = Omit<OfferDecision, 'scores' | 'rejected' | 'reasons'> &
  Partial<Pick<OfferDecision, 'scores' | 'rejected' | 'reasons'>>;

function offerItem(grant: OfferGrantRecord): OfferItem {
  const decision: StoredOfferDecision = grant.decision;
  return {
    kind: 'offer',
    at: grant.decidedAt.toISOString(),
    playbookId: grant.playbookId,
    journeyId: grant.journeyId,
    // Step IDs have no `:` (playbook schema), so the last segment is the step, whatever the run key holds.
    step: grant._id.slice(grant._id.lastIndexOf(':') + 1),
    arm: grant.arm,
    offerId: grant.offerId,
    offerKind: decision.kind,
    title: decision.title,
    ...optional(decision, ['code', 'discountPercent', 'discountAmount', 'brand', 'category', 'payoutModel']),
    contextKey: grant.contextKey,
    ...optional(decision, ['scores']),
    reasons: decision.reasons ?? [],
    rejected: decision.rejected ?? {},
    decisionKey: grant._id,
  };
}

function deliveryItem(record: DeliveryRecord): DeliveryItem {
  return {
    kind: 'delivery',
    at: record.createdAt.toISOString(),
    playbookId: record.playbookId,
    journeyId: record.journeyId,
    entryEventId: record.entryEventId,
    step: record.step,
    status: record.status,
    ...optional(record, ['channel', 'to', 'subject', 'reason', 'providerMessageId', 'offer']),
    attempts: record.attempts,
    idempotencyKey: record.idempotencyKey,
    updatedAt: record.updatedAt.toISOString(),
  };
}

/** The named fields that are present (not undefined or null), so the JSON carries no empty keys. */
function optional<T extends object, K extends keyof T>(record: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) {
    const value = record[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}
