import { isDuplicateKeyError } from './duplicateKey';

/**
 * Runs an upsert, and once more if it lost the race to insert the document: two first writers for
 * one `_id` both try to insert, the loser gets a duplicate key, and its second try finds the
 * document and applies as an update. For updates any writer may apply in any order ($max,
 * $addToSet, a last-writer-wins $set).
 */
export async function upsertRacing(write: () => Promise<unknown>): Promise<void> {
  await write().catch((error: unknown) => {
    if (!isDuplicateKeyError(error)) throw error;
    return write();
  });
}
