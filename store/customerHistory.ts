import type { Collections, DeliveryRecord, EntryRecord } from './collections';
import type { DecisionRecord } from './decisions';

/** What the engine recorded about one customer: the newest `limit` of each kind, and how many in all. */
export interface CustomerHistory {
  entries: EntryRecord[];
  decisions: DecisionRecord[];
  deliveries: DeliveryRecord[];
  totals: { entries: number; decisions: number; deliveries: number };
}

/**
 * Reads a customer's entries, decisions and deliveries, newest first, at most `limit` of each: the
 * newest `limit` of the merged timeline are always among them. Each query has its index
 * (`customer_timeline`, `customer_recent`), so a long-lived customer does not cost a scan.
 */
export async function customerHistory(
  { entries, decisions, deliveries }: Pick<Collections, 'entries' | 'decisions' | 'deliveries'>,
  customerId: string,
  limit: number,
): Promise<CustomerHistory> {
  const [entryList, decisionList, deliveryList, entryCount, decisionCount, deliveryCount] = await Promise.all(
    [
      entries
        .find({ customerId }, { projection: { _id: 0 } })
        .sort({ enteredAt: -1 })
        .limit(limit)
        .toArray(),
      decisions.find({ customerId }).sort({ at: -1, seq: -1 }).limit(limit).toArray(),
      deliveries
        .find({ customerId }, { projection: { _id: 0 } })
        .sort({ createdAt: -1 })
        .limit(limit)
        .toArray(),
      entries.countDocuments({ customerId }),
      decisions.countDocuments({ customerId }),
      deliveries.countDocuments({ customerId }),
    ],
  );
  return {
    entries: entryList,
    decisions: decisionList,
    deliveries: deliveryList,
    totals: { entries: entryCount, decisions: decisionCount, deliveries: deliveryCount },
  };
}
