import type { Collection } from 'mongodb';
import { isDuplicateKeyError, type OfferGrantRecord } from './collections';

/**
 * Records a decision's offer under the decision's key. When another attempt of the same decision
 * stored one first, that one stands and is returned: a retried activity gives the same answer.
 */
export async function recordGrant(
  grants: Collection<OfferGrantRecord>,
  grant: OfferGrantRecord,
): Promise<OfferGrantRecord> {
  try {
    await grants.insertOne(grant);
    return grant;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const stored = await grants.findOne({ _id: grant._id });
    if (stored === null) throw error;
    return stored;
  }
}

/** How often the customer was granted each offer: what per-customer caps count. */
export async function grantsOf(
  grants: Collection<OfferGrantRecord>,
  customerId: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for await (const grant of grants.find({ customerId }, { projection: { offerId: 1 } })) {
    counts[grant.offerId] = (counts[grant.offerId] ?? 0) + 1;
  }
  return counts;
}

/** The customer's latest grant of an offer: the context an engagement with it is learned under. */
export async function latestGrant(
  grants: Collection<OfferGrantRecord>,
  customerId: string,
  offerId: string,
): Promise<OfferGrantRecord | null> {
  return grants.findOne({ customerId, offerId }, { sort: { decidedAt: -1 } });
}
