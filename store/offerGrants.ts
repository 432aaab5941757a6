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

/** A tally's entry for one grant: the context and time say what a later engagement is learned under. */
type TallyEntry = OfferGrantTallyRecord['grants'][number];

/** Field order fixed: `$addToSet` compares entries field by field, in order. */
function tallyEntry(
  grant: Pick<OfferGrantRecord, '_id' | 'offerId' | 'contextKey' | 'decidedAt'>,
): TallyEntry {
  return {
    offerId: grant.offerId,
    decisionKey: grant._id,
    contextKey: grant.contextKey,
    decidedAt: grant.decidedAt,
  };
}

/**
 * Adds a grant to its customer's tally. Idempotent: the same grant added again (a retried or
 * replayed decision) is one entry. Called after the grant itself is stored, and again whenever a
 * stored decision is returned, so a tally missed by a crash in between is made good on the retry.
 */
export async function tallyGrant(
  tallies: Collection<OfferGrantTallyRecord>,
  grant: Pick<OfferGrantRecord, '_id' | 'customerId' | 'offerId' | 'contextKey' | 'decidedAt'>,
): Promise<void> {
  const write = () =>
    tallies.updateOne(
      { _id: grant.customerId },
      { $addToSet: { grants: tallyEntry(grant) } },
      { upsert: true },
    );
  await upsertRacing(write);
}

/** One entry per decision: a tally written before entries carried their context may hold both forms. */
function distinctGrants(tally: OfferGrantTallyRecord | null): TallyEntry[] {
  const byDecision = new Map<string, TallyEntry>();
  for (const entry of tally?.grants ?? [])
    if (!byDecision.has(entry.decisionKey) || entry.contextKey !== undefined)
      byDecision.set(entry.decisionKey, entry);
  return [...byDecision.values()];
}

/** How many times each offer was granted to the customer: the per-customer caps' count. */
export async function grantsOf(
  tallies: Collection<OfferGrantTallyRecord>,
  customerId: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const tally = await tallies.findOne({ _id: customerId });
  for (const { offerId } of distinctGrants(tally)) counts[offerId] = (counts[offerId] ?? 0) + 1;
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
  for await (const grant of grants.find(
    {},
    { projection: { customerId: 1, offerId: 1, contextKey: 1, decidedAt: 1 } },
  )) {
    await tallyGrant(tallies, grant);
    count += 1;
  }
  return count;
}

/**
 * The context of the customer's latest grant of an offer, which an engagement with it is learned
 * under; null when this engine never granted it to them. Read from the customer's tally by `_id`
 * (a query on grants by customer and offer reads every grant on FerretDB 1.24); an entry from
 * before tallies carried contexts is completed by a point read of its grant.
 */
export async function latestGrantContext(
  stores: { offerGrants: Collection<OfferGrantRecord>; offerGrantTallies: Collection<OfferGrantTallyRecord> },
  customerId: string,
  offerId: string,
): Promise<{ contextKey: string; decidedAt: Date } | null> {
  const tally = await stores.offerGrantTallies.findOne({ _id: customerId });
  let latest: { contextKey: string; decidedAt: Date } | null = null;
  for (const entry of distinctGrants(tally).filter((e) => e.offerId === offerId)) {
    const known = await withContext(stores.offerGrants, entry);
    if (known !== null && (latest === null || known.decidedAt >= latest.decidedAt)) latest = known;
  }
  return latest;
}

async function withContext(
  grants: Collection<OfferGrantRecord>,
  entry: TallyEntry,
): Promise<{ contextKey: string; decidedAt: Date } | null> {
  if (entry.contextKey !== undefined && entry.decidedAt !== undefined)
    return { contextKey: entry.contextKey, decidedAt: entry.decidedAt };
  const grant = await grants.findOne({ _id: entry.decisionKey });
  return grant && { contextKey: grant.contextKey, decidedAt: grant.decidedAt };
}

/**
 * Completes tallies written before their entries carried the grant's context and time (run once
 * per database, by store/migrations.ts): each such entry is replaced by the full one, read from its
 * grant by `_id`.
 */
export async function completeGrantTallies(
  grants: Collection<OfferGrantRecord>,
  tallies: Collection<OfferGrantTallyRecord>,
): Promise<number> {
  let count = 0;
  for await (const tally of tallies.find({})) {
    if (tally.grants.every((entry) => entry.contextKey !== undefined)) continue;
    const complete: TallyEntry[] = [];
    for (const entry of distinctGrants(tally)) {
      const grant = entry.contextKey === undefined ? await grants.findOne({ _id: entry.decisionKey }) : null;
      complete.push(grant === null ? entry : tallyEntry(grant));
    }
    await tallies.updateOne({ _id: tally._id }, { $set: { grants: complete } });
    count += 1;
  }
  return count;
}
