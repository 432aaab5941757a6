import type { Db } from 'mongodb';
import { isDuplicateKeyError } from './duplicateKey';
import { collections } from './collections';
import { backfillLedgerHeads } from './contactLedger';
import { backfillEntryHeads } from './entries';
import { backfillEntryRuns, backfillFullEntryRuns } from './entryRuns';
import { CounterWriter } from './consoleCounts';
import { backfillRunSummaries } from './runSummaries';
import { clampFutureStamps } from './futureStamps';
import { DEFAULT_COST_MODEL } from './liftAttributions';
import { rebuildLift } from './liftRebuild';
import { playbookCollections } from './playbookVersions';
import { backfillGrantTallies, completeGrantTallies } from './offerGrants';
import { backfillCustomerOrders } from './orderHistory';
import { backfillReorderPopulations } from './reorderSamples';
import { rekeyByBusinessKey } from './rekey';

interface MigrationRecord {
  _id: string;
  doneAt: Date;
  /** What it touched, for whoever reads the record later. */
  count: number;
}

/**
 * One-off data changes, each recorded in `migrations` once done, so a database is migrated once
 * and a fresh one pays nothing but a point read. Running one twice (two processes starting at once)
 * is safe: each migration is idempotent.
 */
const MIGRATIONS: readonly { id: string; run: (db: Db, now: Date) => Promise<number> }[] = [
  {
    id: 'entry-heads',
    run: (db) => {
      const { entries, entryHeads } = collections(db);
      return backfillEntryHeads(entries, entryHeads);
    },
  },
  { id: 'contact-ledger-heads', run: (db) => backfillLedgerHeads(collections(db).ledger) },
  {
    id: 'entry-runs',
    run: (db) => {
      const { entries, entryRuns } = collections(db);
      return backfillEntryRuns(entries, entryRuns);
    },
  },
  {
    id: 'offer-grant-tallies',
    run: (db) => {
      const { offerGrants, offerGrantTallies } = collections(db);
      return backfillGrantTallies(offerGrants, offerGrantTallies);
    },
  },
  { id: 'future-stamps', run: (db, now) => clampFutureStamps(db, now) },
  {
    id: 'customer-orders',
    run: (db) => {
      const { events, customerOrders } = collections(db);
      return backfillCustomerOrders(events, customerOrders);
    },
  },
  {
    id: 'reorder-populations',
    run: (db) => {
      const { reorderSamples, reorderPopulations } = collections(db);
      return backfillReorderPopulations(reorderSamples, reorderPopulations);
    },
  },
  {
    id: 'rekey-deliveries-events',
    run: async (db) =>
      (await rekeyByBusinessKey(db, 'deliveries', 'idempotencyKey')) +
      (await rekeyByBusinessKey(db, 'events', 'eventId')),
  },
  {
    id: 'offer-grant-tally-contexts',
    run: (db) => {
      const { offerGrants, offerGrantTallies } = collections(db);
      return completeGrantTallies(offerGrants, offerGrantTallies);
    },
  },
  { id: 'rekey-offers', run: (db) => rekeyByBusinessKey(db, 'offers', 'offerId') },
  {
    // Margins at the shipped cost ratios: `journeys report lift --rebuild` revalues at POLICY_FILE's.
    id: 'lift-rollup',
    run: (db) => rebuildLift({ ...collections(db), playbooks: playbookCollections(db) }, DEFAULT_COST_MODEL),
  },
  {
    // `journeys explain` reads a customer's entries from these lists (issue 16).
    id: 'entry-runs-full',
    run: (db) => {
      const { entries, entryRuns } = collections(db);
      return backfillFullEntryRuns(entries, entryRuns);
    },
  },
  {
    // Run summaries (explain's decision counts, the router's "run ended") and the console counts.
    id: 'run-summaries',
    run: (db, now) => {
      const { decisions, runSummaries, counterShards, counterWriters } = collections(db);
      const counters = new CounterWriter({ shards: counterShards, writers: counterWriters });
      return backfillRunSummaries({ decisions, runSummaries, counters }, now);
    },
  },
];

/** Runs the migrations this database has not had yet, in order: the worker and the client do at start-up. */
export async function runMigrations(db: Db, now: () => Date = () => new Date()): Promise<void> {
  const done = db.collection<MigrationRecord>('migrations');
  for (const migration of MIGRATIONS) {
    if (await done.findOne({ _id: migration.id })) continue;
    const count = await migration.run(db, now());
    try {
      await done.insertOne({ _id: migration.id, doneAt: now(), count });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error; // another process finished it first
    }
  }
}
