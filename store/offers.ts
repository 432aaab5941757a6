import { MongoBulkWriteError, type Collection, type Db, type WriteError } from 'mongodb';
import type { Offer } from '../offers/schema';

/**
 * A stored catalog offer: the parsed offer itself, so the decision reads exactly what was
 * validated; the offer model (activities/offerModelCache.ts) reads it as such.
 */
export type OfferRecord = Offer;

export function offersCollection(db: Db): Collection<OfferRecord> {
  return db.collection<OfferRecord>('offers');
}

/** offerId is the business key: an import upserts by it, and the index keeps it unique. */
export async function ensureOfferIndexes(offers: Collection<OfferRecord>): Promise<void> {
  await offers.createIndex({ offerId: 1 }, { unique: true, name: 'offerId_unique' });
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Offers per round trip: one read and one bulkWrite each keep a 10,000-row import to seconds. */
const BATCH = 1000;

/**
 * Writes each offer whole, replacing the stored one with the same offerId, so a field removed from
 * a row is removed from the catalog. Offers not in the file are left as they are: an import adds
 * and updates, it never deletes.
 *
 * An offer already stored exactly as given is not written at all, so importing a file twice
 * writes nothing; "unchanged" is counted here because not every MongoDB-wire server reports a
 * same-value replace as a no-op. New offers go in with one insertMany: an upsert per offer is a
 * scan per offer on FerretDB's SQLite backend, which made a 10,000-offer import take minutes.
 */
export async function upsertOffers(
  offers: Collection<OfferRecord>,
  batch: readonly Offer[],
): Promise<UpsertCounts> {
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  for (let start = 0; start < batch.length; start += BATCH) {
    const slice = batch.slice(start, start + BATCH);
    const stored = await offers
      .find({ offerId: { $in: slice.map((offer) => offer.offerId) } }, { projection: { _id: 0 } })
      .toArray();
    const before = new Map(stored.map((offer) => [offer.offerId, canonical(offer)]));
    const fresh: Offer[] = [];
    const changed: Offer[] = [];
    for (const offer of slice) {
      const previous = before.get(offer.offerId);
      if (previous === undefined) fresh.push(offer);
      else if (previous === canonical(offer)) counts.unchanged += 1;
      else changed.push(offer);
    }
    // Another import may insert the same offerId between the read and here: the unique index
    // refuses the second insert, and that offer is replaced instead.
    const raced = await insertNew(offers, fresh);
    counts.inserted += fresh.length - raced.length;
    changed.push(...raced);
    counts.updated += changed.length;
    if (changed.length > 0)
      await offers.bulkWrite(
        changed.map((offer) => ({
          replaceOne: { filter: { offerId: offer.offerId }, replacement: { ...offer }, upsert: true },
        })),
        { ordered: false },
      );
  }
  return counts;
}

/** Inserts the offers; returns those another writer stored first (duplicate offerId). */
async function insertNew(offers: Collection<OfferRecord>, fresh: readonly Offer[]): Promise<Offer[]> {
  if (fresh.length === 0) return [];
  try {
    // Copies: the driver would add an `_id` to the caller's objects.
    await offers.insertMany(
      fresh.map((offer) => ({ ...offer })),
      { ordered: false },
    );
    return [];
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const writeErrors = ([] as WriteError[]).concat(error.writeErrors);
    if (writeErrors.some((writeError) => writeError.code !== 11000)) throw error;
    return writeErrors.map((writeError) => fresh[writeError.index]!);
  }
}

/** JSON with keys sorted: two offers with the same fields in another order are the same offer. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    typeof field === 'object' && field !== null && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : field,
  );
}
