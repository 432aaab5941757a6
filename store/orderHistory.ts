import type { Collection } from 'mongodb';
import { MAX_ORDER_HISTORY } from '../engine/triggers/cadence';
import { orderFact, type OrderFact } from '../engine/triggers/timerCommands';
import type { EventRecord } from './collections';
import { storedEvent } from './events';

/**
 * The customer's latest orders up to `until` (inclusive), from the inbox: what their own cadence is
 * measured on. Bounded by MAX_ORDER_HISTORY and served by the `customer_recent` index.
 */
export async function ordersUntil(
  events: Collection<EventRecord>,
  customerId: string,
  until: number,
): Promise<OrderFact[]> {
  const records = await events
    .find({ customerId, type: 'order.placed', occurredAt: { $lte: new Date(until) } })
    .sort({ occurredAt: -1 })
    .limit(MAX_ORDER_HISTORY)
    .toArray();
  return records.flatMap((record) => {
    const event = storedEvent(record);
    return event.type === 'order.placed' ? [orderFact(event)] : [];
  });
}
