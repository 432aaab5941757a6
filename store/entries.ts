import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from './duplicateKey';
import type { EntryHeadRecord, EntryRecord } from './collections';
import { upsertRacing } from './upsert';

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

/** The head's `_id`: the three as a JSON array, so no two (playbook, customer, key) share one. */
function headId(playbookId: string, customerId: string, keyValue: string | undefined): string {
  return JSON.stringify(
    keyValue === undefined ? [playbookId, customerId] : [playbookId, customerId, keyValue],
  );
}

/**
 * Moves the head to this entry. Last writer wins: entries of one customer into one playbook come
 * one event at a time, and two racing ones share the run's workflow ID anyway. Written after the
 * entry itself, so a head never points at an entry that was not recorded.
 */
export async function recordEntryHead(heads: Collection<EntryHeadRecord>, entry: EntryRecord): Promise<void> {
  const head = { enteredAt: entry.enteredAt, entryEventId: entry.entryEventId, journeyId: entry.journeyId };
  const write = () =>
    heads.updateOne(
      { _id: headId(entry.playbookId, entry.customerId, entry.keyValue) },
      { $set: head },
      { upsert: true },
    );
  await upsertRacing(write);
}

/** The latest entry of a customer into a playbook (for one key value, when the playbook has keys). */
export async function lastEntry(
  heads: Collection<EntryHeadRecord>,
  playbookId: string,
  customerId: string,
  keyValue: string | undefined,
): Promise<EntryHeadRecord | null> {
  return heads.findOne({ _id: headId(playbookId, customerId, keyValue) });
}

/**
 * Builds the heads of entries recorded before heads existed: one pass over `entries`, the latest
 * per head kept (run once per database, by store/migrations.ts).
 */
export async function backfillEntryHeads(
  entries: Collection<EntryRecord>,
  heads: Collection<EntryHeadRecord>,
): Promise<number> {
  const latest = new Map<string, EntryRecord>();
  for await (const entry of entries.find({})) {
    const id = headId(entry.playbookId, entry.customerId, entry.keyValue);
    const seen = latest.get(id);
    if (!seen || seen.enteredAt < entry.enteredAt) latest.set(id, entry);
  }
  for (const [id, entry] of latest) {
    // A client already running may have moved this head on; an old entry must not move it back.
    const current = await heads.findOne({ _id: id });
    if (!current || current.enteredAt < entry.enteredAt) await recordEntryHead(heads, entry);
  }
  return latest.size;
}
