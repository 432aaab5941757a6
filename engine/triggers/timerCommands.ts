import type { CustomerLapsed, OrderPlaced, ReplenishmentDue } from '../../schemas/events/schema';
import { DAY_MS, lapseThreshold, ownIntervalDays, reorderInterval, replenishmentTiming } from './cadence';
import { composeId, MAX_WORKFLOW_ID_BYTES } from '../ids/idParts';
import { sha256Hex } from '../ids/sha256';

/*
 * Computed triggers as timer commands: after an order, which timers to (re)arm and which event each
 * publishes when it falls due. Pure, so the client (durable timers on Temporal) and the simulator
 * (its virtual clock) arm exactly the same timers with exactly the same events.
 */

/** What the triggers need of an order. */
export interface OrderFact {
  at: number;
  items: { sku: string; name?: string; category: string }[];
}

export function orderFact(event: OrderPlaced): OrderFact {
  return {
    at: Date.parse(event.occurredAt),
    items: event.data.items.map(({ sku, name, category }) => ({
      sku,
      category,
      ...(name !== undefined && { name }),
    })),
  };
}

export type ComputedEvent = ReplenishmentDue | CustomerLapsed;

export interface TimerCommand {
  /** `replenishment:<customer>:<sku>` or `lapse:<customer>`: one pending timer per ID; arming again replaces it. */
  timerId: string;
  customerId: string;
  /** The latest purchase the timing was computed from: a command from older purchases never replaces one from newer. */
  basisAt: number;
  dueAt: number;
  /** Published at `dueAt`, with an eventId fixed by timer and time, so publishing it twice is a duplicate. */
  event: ComputedEvent;
}

/** The durable timer's workflow ID, one per timer: `trigger:<timerId>`. */
export function timerWorkflowId(timerId: string): string {
  return `trigger:${timerId}`;
}

/** Timer IDs leave room for `trigger:` within Temporal's workflow ID limit. */
const MAX_TIMER_ID_BYTES = MAX_WORKFLOW_ID_BYTES - 'trigger:'.length;

/** `replenishment:<customer>:<sku>`, parts escaped (engine/ids/idParts) so no two timers share one. */
export function replenishmentTimerId(customerId: string, sku: string): string {
  return composeId(['replenishment', customerId, sku], MAX_TIMER_ID_BYTES);
}

export function lapseTimerId(customerId: string): string {
  return composeId(['lapse', customerId], MAX_TIMER_ID_BYTES);
}

/** The ID this command's timer had before parts were escaped (see router/computedTriggers.ts). */
export function legacyTimerId(command: TimerCommand): string {
  const { event } = command;
  return event.type === 'customer.lapsed'
    ? `lapse:${event.customerId}`
    : `replenishment:${event.customerId}:${event.data.sku}`;
}

/**
 * Whether a newly computed command replaces the pending one. Equal bases replace too: an event
 * routed again computes the same command, and a newer product median may move the same purchase's
 * reminder.
 */
export function supersedes(next: TimerCommand, current: TimerCommand | undefined): boolean {
  return current === undefined || next.basisAt >= current.basisAt;
}

/** Event IDs are at most 200 characters; a very long customer ID or SKU is shortened by a hash. */
const MAX_EVENT_ID = 200;

/**
 * `<timerId>@<due time>`. A long one keeps the start of the timer ID and adds `~` and 128 bits of
 * its SHA-256 (the `~` of a timer ID is always escaped, so a shortened ID is never a plain one).
 */
export function computedEventId(timerId: string, dueAt: number): string {
  const at = new Date(dueAt).toISOString();
  const plain = `${timerId}@${at}`;
  if (plain.length <= MAX_EVENT_ID) return plain;
  const hash = sha256Hex(timerId).slice(0, 32);
  // Not inside an escape or a surrogate pair: the kept start stays valid text.
  let start = timerId.slice(0, MAX_EVENT_ID - at.length - hash.length - 2);
  start = start.replace(/%[0-9A-F]?$|[\ud800-\udbff]$/, '');
  return `${start}~${hash}@${at}`;
}

export interface TriggerKnowledge {
  /** The customer's orders up to and including the one just placed, in any order. */
  orders: readonly OrderFact[];
  /** The product's other buyers' own reorder intervals in days (see ownReorderSamples). */
  populationDays: (sku: string) => readonly number[];
}

/** The timers an order (re)arms: a reminder per product it contains that is bought again, and the lapse. */
export function timersAfterOrder(
  customerId: string,
  order: OrderFact,
  known: TriggerKnowledge,
): TimerCommand[] {
  const skus = [...new Set(order.items.map((item) => item.sku))].sort();
  const commands = skus.flatMap((sku) => replenishment(customerId, sku, known));
  return [...commands, lapse(customerId, known.orders)];
}

function purchasesOf(orders: readonly OrderFact[], sku: string) {
  return orders
    .flatMap((o) => o.items.filter((item) => item.sku === sku).map((item) => ({ at: o.at, item })))
    .sort((a, b) => a.at - b.at);
}

function replenishment(customerId: string, sku: string, known: TriggerKnowledge): TimerCommand[] {
  const purchases = purchasesOf(known.orders, sku);
  const last = purchases[purchases.length - 1];
  if (last === undefined) return [];
  const times = purchases.map((p) => p.at);
  const estimate = reorderInterval(times, known.populationDays(sku), last.item.category);
  if (estimate === undefined) return [];
  const { runOutAt, remindAt } = replenishmentTiming(last.at, estimate.days);
  const timerId = replenishmentTimerId(customerId, sku);
  const event: ReplenishmentDue = {
    eventId: computedEventId(timerId, remindAt),
    type: 'replenishment.due',
    customerId,
    occurredAt: new Date(remindAt).toISOString(),
    data: {
      sku,
      ...(last.item.name !== undefined && { name: last.item.name }),
      category: last.item.category,
      lastOrderAt: new Date(last.at).toISOString(),
      runOutAt: new Date(runOutAt).toISOString(),
      intervalDays: roundDays(estimate.days),
      basis: estimate.basis,
    },
  };
  return [{ timerId, customerId, basisAt: last.at, dueAt: remindAt, event }];
}

function lapse(customerId: string, orders: readonly OrderFact[]): TimerCommand {
  const times = orders.map((o) => o.at);
  const lastOrderAt = Math.max(...times);
  const threshold = lapseThreshold(times);
  const dueAt = lastOrderAt + Math.round(threshold.lapseDays * DAY_MS);
  const timerId = lapseTimerId(customerId);
  const event: CustomerLapsed = {
    eventId: computedEventId(timerId, dueAt),
    type: 'customer.lapsed',
    customerId,
    occurredAt: new Date(dueAt).toISOString(),
    data: {
      lastOrderAt: new Date(lastOrderAt).toISOString(),
      ...(threshold.cadenceDays !== undefined && { cadenceDays: roundDays(threshold.cadenceDays) }),
      lapseDays: roundDays(threshold.lapseDays),
      basis: threshold.basis,
    },
  };
  return { timerId, customerId, basisAt: lastOrderAt, dueAt, event };
}

/** Days in the event's data, to the hour: readable, and the timing itself is exact in `dueAt`. */
function roundDays(days: number): number {
  return Math.round(days * 24) / 24;
}

/** One buyer's contribution to a product's population median: their own interval, once they have one. */
export interface ReorderSample {
  sku: string;
  customerId: string;
  days: number;
  /** The purchase it was measured at: the population keeps the most recent samples. */
  at: number;
}

/** The customer's own intervals for the products of this order that they have now bought twice. */
export function ownReorderSamples(
  customerId: string,
  order: OrderFact,
  orders: readonly OrderFact[],
): ReorderSample[] {
  const skus = [...new Set(order.items.map((item) => item.sku))].sort();
  return skus.flatMap((sku) => {
    const purchases = purchasesOf(orders, sku);
    const days = ownIntervalDays(purchases.map((p) => p.at));
    const last = purchases[purchases.length - 1];
    return days === undefined || last === undefined ? [] : [{ sku, customerId, days, at: last.at }];
  });
}
