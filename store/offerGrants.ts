import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from './duplicateKey';
import type { OfferGrantRecord, OfferGrantTallyRecord } from './collections';
import { upsertRacing } from './upsert';

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
/**
 * Adds a grant to its customer's tally. Idempotent: the same grant added again (a retried or
 * replayed decision) is one entry. Called after the grant itself is stored, and again whenever a
 * stored decision is returned, so a tally missed by a crash in between is made good on the retry.
 */
export async function tallyGrant(
  tallies: Collection<OfferGrantTallyRecord>,
  grant: Pick<OfferGrantRecord, '_id' | 'customerId' | 'offerId'>,
): Promise<void> {
  const write = () =>
    tallies.updateOne(
      { _id: grant.customerId },
      { $addToSet: { grants: { offerId: grant.offerId, decisionKey: grant._id } } },
      { upsert: true },
    );
  await upsertRacing(write);
}

/** How many times each offer was granted to the customer: the per-customer caps' count. */
export async function grantsOf(
  tallies: Collection<OfferGrantTallyRecord>,
  customerId: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const tally = await tallies.findOne({ _id: customerId });
  for (const { offerId } of tally?.grants ?? []) counts[offerId] = (counts[offerId] ?? 0) + 1;
  return counts;
}

/**
 * Builds the tallies of grants stored before tallies existed (run once per database, by
 * store/migrations.ts).
 */
export async function backfillGrantTallies(
  grants: Collection<OfferGrantRecord>,
  tallies: Collection<OfferGrantTallyRecord>,
): Promise<number> {
  let count = 0;
  for await (const grant of grants.find({}, { projection: { customerId: 1, offerId: 1 } })) {
    await tallyGrant(tallies, grant);
    count += 1;
  }
  return count;
}

/** The customer's latest grant of an offer: the context an engagement with it is learned under. */
export async function latestGrant(
  grants: Collection<OfferGrantRecord>,
  customerId: string,
  offerId: string,
): Promise<OfferGrantRecord | null> {
  return grants.findOne({ customerId, offerId }, { sort: { decidedAt: -1 } });
}
