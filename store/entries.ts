import type { Collection } from 'mongodb';
import { isDuplicateKeyError, type EntryRecord } from './collections';

/**
 * Records an entry; the same entry event recorded twice for a customer is one entry. (A catalog
 * event is the entry event of every customer it fans out to.)
 */
export async function recordEntry(entries: Collection<EntryRecord>, entry: EntryRecord): Promise<void> {
  try {
    await entries.insertOne(entry);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/** The latest entry of a customer into a playbook (for one key value, when the playbook has keys). */
export async function lastEntry(
  entries: Collection<EntryRecord>,
  playbookId: string,
  customerId: string,
  keyValue: string | undefined,
): Promise<EntryRecord | null> {
  return entries.findOne(
    { playbookId, customerId, ...(keyValue === undefined ? {} : { keyValue }) },
    { sort: { enteredAt: -1 } },
  );
}

/** Runs that may still be live: entered within the playbook's maximum duration. */
export async function recentEntries(
  entries: Collection<EntryRecord>,
  playbookId: string,
  customerId: string,
  since: Date,
): Promise<EntryRecord[]> {
  return entries.find({ playbookId, customerId, enteredAt: { $gte: since } }).toArray();
}
