import type { Collections, DeliveryRecord, EntryRecord, OfferGrantRecord } from './collections';
import type { DecisionRecord } from './decisions';

/** What the engine recorded about one customer: the newest `limit` of each kind, and how many in all. */
export interface CustomerHistory {
  entries: EntryRecord[];
  decisions: DecisionRecord[];
  deliveries: DeliveryRecord[];
  /** The offers decideOffer steps chose for the customer (for a control customer: would have). */
  offers: OfferGrantRecord[];
  totals: { entries: number; decisions: number; deliveries: number; offers: number };
}

/**
 * Reads a customer's entries, decisions, deliveries and offer grants, newest first, at most `limit`
 * of each: the newest `limit` of the merged timeline are always among them. Each query has its
 * index (`customer_timeline`, `customer_recent`, `customer_offers`), so a long-lived customer does
 * not cost a scan. Grants are sorted by time on that customer's grants alone: few enough (one per
 * decideOffer step a run reached) that an index of its own would cost every write more than it saves.
 */
export async function customerHistory(
  {
    entries,
    decisions,
    deliveries,
    offerGrants,
  }: Pick<Collections, 'entries' | 'decisions' | 'deliveries' | 'offerGrants'>,
  customerId: string,
  limit: number,
): Promise<CustomerHistory> {
  const [
    entryList,
    decisionList,
    deliveryList,
    offerList,
    entryCount,
    decisionCount,
    deliveryCount,
    offerCount,
  ] = await Promise.all([
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
    offerGrants.find({ customerId }).sort({ decidedAt: -1 }).limit(limit).toArray(),
    entries.countDocuments({ customerId }),
    decisions.countDocuments({ customerId }),
    deliveries.countDocuments({ customerId }),
    offerGrants.countDocuments({ customerId }),
  ]);
  return {
    entries: entryList,
    decisions: decisionList,
    deliveries: deliveryList,
    offers: offerList,
    totals: { entries: entryCount, decisions: decisionCount, deliveries: deliveryCount, offers: offerCount },
  };
}
