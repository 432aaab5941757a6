import { MAX_ORDER_HISTORY } from './cadence';
import type { OrderFact } from './timerCommands';

/*
 * A customer's order history as the computed triggers read it: their newest MAX_ORDER_HISTORY
 * orders, kept in one maintained list rather than queried from the inbox (which grows with every
 * event stored). Pure: the store keeps the list, this decides what it holds.
 */

/** An order of the history, with the eventId that makes adding it again a no-op. */
export interface HeldOrder extends OrderFact {
  eventId: string;
}

/** Oldest first; ties (one instant) by eventId, so every writer keeps the same list. */
function byTime(a: HeldOrder, b: HeldOrder): number {
  return a.at - b.at || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

/**
 * The history with `order` added (once: an eventId already held is not added again), in time order
 * whatever order orders arrive in. Not yet cut to size: see `keptOrders`.
 */
export function withOrder(history: readonly HeldOrder[], order: HeldOrder): HeldOrder[] {
  if (history.some((held) => held.eventId === order.eventId)) return [...history];
  return [...history, order].sort(byTime);
}

/** What the stored history keeps: the newest MAX_ORDER_HISTORY orders. */
export function keptOrders(history: readonly HeldOrder[]): HeldOrder[] {
  return history.slice(-MAX_ORDER_HISTORY);
}

/** Whether two histories hold the same orders: an order routed again writes nothing. */
export function sameOrders(a: readonly HeldOrder[], b: readonly HeldOrder[]): boolean {
  return a.length === b.length && a.every((held, i) => held.eventId === b[i]!.eventId);
}

/**
 * The orders up to `until` (inclusive), newest MAX_ORDER_HISTORY, newest first: what the inbox query
 * `{customerId, type: 'order.placed', occurredAt: {$lte: until}}` sorted by time returned. An order
 * older than a full history's oldest sees itself and the held orders before it (fewer than the
 * inbox had): a backfill of orders long since followed by a hundred others, whose timers are long
 * due and not armed (router/computedTriggers.ts).
 */
export function historyUntil(history: readonly HeldOrder[], until: number): OrderFact[] {
  return history
    .filter((held) => held.at <= until)
    .slice(-MAX_ORDER_HISTORY)
    .reverse()
    .map(({ at, items }) => ({ at, items }));
}
