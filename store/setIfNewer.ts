import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';
import { upsertRacing } from './upsert';

/** The value at a dotted path (`consentsAt.email.marketing`) of a document. */
function valueAt(doc: Document | null, path: string): unknown {
  let value: unknown = doc;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | null | undefined)?.[key];
  return value;
}

/**
 * Sets `fields` on document `id` unless the time kept at `stamp` is newer than `at`, creating the
 * document if needed: a late or replayed event never overwrites newer state.
 *
 * A read by `_id`, then a write by `_id`, rather than one update filtered on `_id` and the stamp:
 * FerretDB 1.24 answers any filter but `_id` alone by reading the whole collection (every profile,
 * on every profile event). The check and the write are two steps, so the documents written here
 * have one writer at a time: a customer's profile is written by the router's lane for that
 * customer; a product by its catalog events, which a catalog feed sends one at a time per SKU (two
 * racing updates of one SKU's stock can leave the older, until the next). FerretDB's own filtered
 * update was no more atomic: it also reads, then writes.
 */
export async function setIfNewer<T extends Document & { _id: string }>(
  collection: Collection<T>,
  id: string,
  stamp: string,
  at: Date,
  fields: Record<string, unknown>,
): Promise<void> {
  const current = await collection.findOne({ _id: id } as Filter<T>, { projection: { [stamp]: 1 } });
  const held = valueAt(current, stamp);
  if (held instanceof Date && held.getTime() > at.getTime()) return;
  await upsertRacing(() =>
    collection.updateOne({ _id: id } as Filter<T>, { $set: fields } as UpdateFilter<T>, { upsert: true }),
  );
}
