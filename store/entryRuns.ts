import type { Collection } from 'mongodb';
import type { EntryRecord, EntryRunsRecord } from './collections';
import { upsertRacing } from './upsert';

/** Entries kept per customer and playbook (see EntryRunsRecord). */
export const ENTRY_RUNS_KEPT = 200;

function entryRunsId(playbookId: string, customerId: string): string {
  return JSON.stringify([playbookId, customerId]);
}

/**
 * Adds an entry to its customer's list for the playbook: one atomic push, so two entries of one
 * customer racing (two orders at once) both land. A retried entry adds a repeat, which readers drop.
 * The oldest entries past ENTRY_RUNS_KEPT are popped afterwards (FerretDB 1.24 ignores `$slice`
 * in a `$push`); two racing writers may pop one too many, which only shortens the list.
 */
export async function recordEntryRun(
  entryRuns: Collection<EntryRunsRecord>,
  entry: EntryRecord,
): Promise<void> {
  const _id = entryRunsId(entry.playbookId, entry.customerId);
  const run = { journeyId: entry.journeyId, enteredAt: entry.enteredAt };
  let length = 0;
  await upsertRacing(async () => {
    const after = await entryRuns.findOneAndUpdate(
      { _id },
      { $push: { runs: run } },
      { upsert: true, returnDocument: 'after' },
    );
    length = after?.runs.length ?? 0;
  });
  for (; length > ENTRY_RUNS_KEPT; length--) await entryRuns.updateOne({ _id }, { $pop: { runs: -1 } });
}

/** The workflow IDs of the runs a customer entered in a playbook since `since`: those that may be live. */
export async function recentRuns(
  entryRuns: Collection<EntryRunsRecord>,
  playbookId: string,
  customerId: string,
  since: Date,
): Promise<string[]> {
  const record = await entryRuns.findOne({ _id: entryRunsId(playbookId, customerId) });
  const recent = (record?.runs ?? []).filter((run) => run.enteredAt >= since);
  return [...new Set(recent.map((run) => run.journeyId))];
}

/**
 * Builds the lists from the entries recorded before they existed: one pass over `entries` (run
 * once per database, by store/migrations.ts). Added as a set, so entries a running client pushed
 * meanwhile stay, and running it twice changes nothing.
 */
export async function backfillEntryRuns(
  entries: Collection<EntryRecord>,
  entryRuns: Collection<EntryRunsRecord>,
): Promise<number> {
  const byOwner = new Map<string, { journeyId: string; enteredAt: Date }[]>();
  for await (const entry of entries.find({})) {
    const id = entryRunsId(entry.playbookId, entry.customerId);
    const runs = byOwner.get(id) ?? [];
    runs.push({ journeyId: entry.journeyId, enteredAt: entry.enteredAt });
    byOwner.set(id, runs);
  }
  for (const [id, runs] of byOwner) {
    const latest = runs.sort((a, b) => a.enteredAt.getTime() - b.enteredAt.getTime()).slice(-ENTRY_RUNS_KEPT);
    await upsertRacing(() =>
      entryRuns.updateOne({ _id: id }, { $addToSet: { runs: { $each: latest } } }, { upsert: true }),
    );
  }
  return byOwner.size;
}
