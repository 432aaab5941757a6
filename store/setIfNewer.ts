import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';
import { isDuplicateKeyError } from './duplicateKey';

/**
 * Sets `fields` on document `id` unless the time kept at `stamp` is newer than `at`, creating the
 * document if needed: a late or replayed event never overwrites newer state. The upsert collides on
 * `_id` when the filter missed, because newer state is there (nothing to do) or because another
 * writer's first insert for this `_id` won (then a second try applies as an update).
 */
export async function setIfNewer<T extends Document & { _id: string }>(
  collection: Collection<T>,
  id: string,
  stamp: string,
  at: Date,
  fields: Record<string, unknown>,
): Promise<void> {
  const filter = { _id: id, $or: [{ [stamp]: { $lte: at } }, { [stamp]: { $exists: false } }] } as Filter<T>;
  const write = () => collection.updateOne(filter, { $set: fields } as UpdateFilter<T>, { upsert: true });
  await write().catch(async (error: unknown) => {
    if (!isDuplicateKeyError(error)) throw error;
    await write().catch((again: unknown) => {
      if (!isDuplicateKeyError(again)) throw again;
    });
  });
}
