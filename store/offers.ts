import { MongoBulkWriteError, type Collection, type Db, type Filter, type WriteError } from 'mongodb';
import type { Offer } from '../schemas/offers/schema';

/**
 * A stored catalog offer: the parsed offer itself, so the decision reads exactly what was
 * validated; the offer model (activities/offerModelCache.ts) reads it as such. Stored under
 * `_id` = offerId, so the evidence of each engagement finds its offer by a point read; offers
 * imported before that are moved to it by the `rekey-offers` migration.
 */
export type OfferRecord = Offer & { _id?: string };

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
/** Replaces per bulk write. */
const REPLACE_BATCH = 50;

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
    const stored = await offers.find({ offerId: { $in: slice.map((offer) => offer.offerId) } }).toArray();
    const before = new Map(
      stored.map(({ _id, ...offer }) => [offer.offerId, { _id, canonical: canonical(offer) }]),
    );
    const fresh: Offer[] = [];
    const changed: { offer: Offer; filter: Filter<OfferRecord> }[] = [];
    for (const offer of slice) {
      const previous = before.get(offer.offerId);
      if (previous === undefined) fresh.push(offer);
      else if (previous.canonical === canonical(offer)) counts.unchanged += 1;
      // By `_id`, the one key FerretDB's SQLite backend looks up directly: a replace filtered on
      // offerId scans the collection per offer, which made re-importing a changed catalog take
      // minutes.
      else changed.push({ offer, filter: { _id: previous._id } });
    }
    // Another import may insert the same offerId between the read and here: the unique index
    // refuses the second insert, and that offer is replaced instead (by `_id`, its offerId).
    const raced = await insertNew(offers, fresh);
    counts.inserted += fresh.length - raced.length;
    changed.push(...raced.map((offer) => ({ offer, filter: { _id: offer.offerId } })));
    counts.updated += changed.length;
    // Replaces go in small bulks: FerretDB slows down far more than linearly with a bulk's size
    // (50 changed offers in under a second, 1,000 in one bulk not within minutes).
    for (let at = 0; at < changed.length; at += REPLACE_BATCH)
      await offers.bulkWrite(
        changed.slice(at, at + REPLACE_BATCH).map(({ offer, filter }) => ({
          replaceOne: { filter, replacement: { ...offer }, upsert: true },
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
    // Copies under their offerId: the driver would otherwise add a generated `_id` to the caller's objects.
    await offers.insertMany(
      fresh.map((offer) => ({ ...offer, _id: offer.offerId })),
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
