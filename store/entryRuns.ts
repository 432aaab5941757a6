import type { Collection } from 'mongodb';
import type { EntryRecord, EntryRun, EntryRunsRecord } from './collections';
import { upsertRacing } from './upsert';

/** Entries kept per customer and playbook (see EntryRunsRecord). */
export const ENTRY_RUNS_KEPT = 200;

export function entryRunsId(playbookId: string, customerId: string): string {
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
  const run = entryRun(entry);
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

/** The entry as its list holds it: all of it but the playbook and customer its list's `_id` names. */
function entryRun(entry: EntryRecord): EntryRun {
  const { playbookId: _playbook, customerId: _customer, ...run } = entry;
  // An ObjectId given to the entry by its insert is the entry's, not the list's.
  delete (run as { _id?: unknown })._id;
  return run;
}

/**
 * The entries a customer's list for the playbook holds in full, oldest first, each run once: the
 * entries `journeys explain` shows. Elements from before the full form (journeyId and enteredAt
 * only) are left out; the `entry-runs-full` backfill added their full form beside them.
 */
export async function entriesOf(
  entryRuns: Collection<EntryRunsRecord>,
  playbookId: string,
  customerId: string,
): Promise<EntryRecord[]> {
  const record = await entryRuns.findOne({ _id: entryRunsId(playbookId, customerId) });
  const seen = new Set<string>();
  const out: EntryRecord[] = [];
  for (const run of record?.runs ?? []) {
    const { entryEventId, playbookVersion, playbookLabel, arm } = run;
    if (entryEventId === undefined || playbookVersion === undefined || playbookLabel === undefined) continue;
    if (arm === undefined) continue;
    const key = JSON.stringify([run.journeyId, entryEventId]);
    if (seen.has(key)) continue; // a retried entry pushed twice
    seen.add(key);
    out.push({ ...run, entryEventId, playbookVersion, playbookLabel, arm, playbookId, customerId });
  }
  return out.sort((a, b) => a.enteredAt.getTime() - b.enteredAt.getTime());
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

/**
 * Adds the full form of the entries already listed (see EntryRun) from `entries`: one pass (run once
 * per database, by store/migrations.ts). Added as a set beside the short form, which recentRuns
 * reads alike and entriesOf skips, so a list a running client pushed to meanwhile loses nothing.
 */
export async function backfillFullEntryRuns(
  entries: Collection<EntryRecord>,
  entryRuns: Collection<EntryRunsRecord>,
): Promise<number> {
  const byOwner = new Map<string, EntryRecord[]>();
  for await (const entry of entries.find({})) {
    const id = entryRunsId(entry.playbookId, entry.customerId);
    const list = byOwner.get(id) ?? [];
    list.push(entry);
    byOwner.set(id, list);
  }
  for (const [id, list] of byOwner) {
    const latest = list
      .sort((a, b) => a.enteredAt.getTime() - b.enteredAt.getTime())
      .slice(-ENTRY_RUNS_KEPT)
      .map(entryRun);
    await upsertRacing(() =>
      entryRuns.updateOne({ _id: id }, { $addToSet: { runs: { $each: latest } } }, { upsert: true }),
    );
  }
  return byOwner.size;
}
