import type { Collection } from 'mongodb';
import {
  historyUntil,
  keptOrders,
  sameOrders,
  withOrder,
  type HeldOrder,
} from '../engine/triggers/orderHistory';
import { orderFact, type OrderFact } from '../engine/triggers/timerCommands';
import type { CustomerOrdersRecord, EventRecord } from './collections';
import { storedEvent } from './events';
import { upsertRacing } from './upsert';

function held(record: CustomerOrdersRecord | null): HeldOrder[] {
  return (record?.orders ?? []).map(({ eventId, at, items }) => ({ eventId, at: at.getTime(), items }));
}

async function storeHistory(
  customerOrders: Collection<CustomerOrdersRecord>,
  customerId: string,
  before: readonly HeldOrder[],
  merged: readonly HeldOrder[],
): Promise<void> {
  const kept = keptOrders(merged);
  if (sameOrders(before, kept)) return;
  const orders = kept.map(({ eventId, at, items }) => ({ eventId, at: new Date(at), items }));
  await upsertRacing(() =>
    customerOrders.updateOne({ _id: customerId }, { $set: { orders } }, { upsert: true }),
  );
}

/**
 * Adds the order to its customer's history and returns the orders up to it (inclusive, newest
 * first, at most MAX_ORDER_HISTORY): the history the inbox query used to return. Routing the same
 * order again changes nothing; an order that arrives after later ones sees only those before it.
 */
export async function recordOrder(
  customerOrders: Collection<CustomerOrdersRecord>,
  customerId: string,
  order: HeldOrder,
): Promise<OrderFact[]> {
  const before = held(await customerOrders.findOne({ _id: customerId }));
  const merged = withOrder(before, order);
  await storeHistory(customerOrders, customerId, before, merged);
  return historyUntil(merged, order.at);
}

/**
 * Builds the histories of orders stored before histories existed (run once per database, by
 * store/migrations.ts): one read of the inbox's orders, merged into what is held already.
 */
export async function backfillCustomerOrders(
  events: Collection<EventRecord>,
  customerOrders: Collection<CustomerOrdersRecord>,
): Promise<number> {
  const found = new Map<string, HeldOrder[]>();
  for await (const record of events.find({ type: 'order.placed' }, { projection: { payload: 1 } })) {
    const event = storedEvent(record);
    if (event.type !== 'order.placed') continue;
    const order = { eventId: event.eventId, ...orderFact(event) };
    found.set(event.customerId, keptOrders(withOrder(found.get(event.customerId) ?? [], order)));
  }
  for (const [customerId, orders] of found) {
    const before = held(await customerOrders.findOne({ _id: customerId }));
    const merged = orders.reduce((history, order) => withOrder(history, order), before);
    await storeHistory(customerOrders, customerId, before, merged);
  }
  return found.size;
}
