import type { Channel } from '../engine/interpreter/types';
import type { DeliveryRecord, EntryRecord } from '../store/collections';
import type { DecisionRecord } from '../store/decisions';

/*
 * `journeys explain`: one customer's entries, decisions and deliveries as a single timeline. Pure:
 * the command reads the three lists, this merges them, the formatter prints them.
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
  idempotencyKey: string;
  updatedAt: string;
}

export type TimelineItem = EntryItem | DecisionItem | DeliveryItem;

export interface TimelineSources {
  entries: readonly EntryRecord[];
  decisions: readonly DecisionRecord[];
  deliveries: readonly DeliveryRecord[];
}

/** At one instant a run enters, then decides, then its delivery is written. */
const KIND_ORDER: Record<TimelineItem['kind'], number> = { entry: 0, decision: 1, delivery: 2 };

/**
 * Merges the three lists into one, oldest first; with `limit`, the newest `limit` items. Ties keep
 * the order in which they happened: entry before decision before delivery, decisions of one run by
 * `seq`.
 */
export function explainTimeline(sources: TimelineSources, limit?: number): TimelineItem[] {
  const items = [
    ...sources.entries.map(entryItem),
    ...sources.decisions.map(decisionItem),
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
    ...optional(record, ['channel', 'reason', 'offerId', 'rule', 'count', 'winner']),
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
    ...optional(record, ['channel', 'to', 'subject', 'reason', 'providerMessageId']),
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
