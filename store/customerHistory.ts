import { legacyRunKey, runKey } from '../engine/ids/journeyKeys';
import type { Collections, DeliveryRecord, EntryRecord, OfferGrantRecord } from './collections';
import { decisionsOfRun, runSummaryId, type RunSummaryRecord } from './runSummaries';
import type { DecisionRecord } from './decisions';
import { entriesOf } from './entryRuns';

/** What the engine recorded about one customer: the newest `limit` of each kind, and how many in all. */
export interface CustomerHistory {
  entries: EntryRecord[];
  decisions: DecisionRecord[];
  deliveries: DeliveryRecord[];
  /** The offers decideOffer steps chose for the customer (for a control customer: would have). */
  offers: OfferGrantRecord[];
  /**
   * Entries, decisions and deliveries are those of the runs kept in the customer's entry lists (the
   * latest ENTRY_RUNS_KEPT per playbook, store/entryRuns.ts); offers are all of the customer's.
   */
  totals: { entries: number; decisions: number; deliveries: number; offers: number };
}

export type HistoryStores = Pick<
  Collections,
  'entryRuns' | 'runSummaries' | 'decisions' | 'deliveries' | 'offerGrants' | 'offerGrantTallies'
>;

/** Point reads in flight at once: enough to hide the round trips, few enough not to queue the server. */
const READS_AT_ONCE = 32;

/**
 * Reads a customer's entries, decisions, deliveries and offer grants, newest first, at most `limit`
 * of each: the newest `limit` of the merged timeline are always among them. Every read is by `_id`,
 * so its cost does not grow with the store (FerretDB 1.24 answers any other filter by reading the
 * whole collection): the customer's entry list per playbook (`playbookIds`, the small
 * playbook_states collection), each run's summary (its decision count), its decisions by their
 * `_id`s, its deliveries by the idempotency keys its send decisions name, and the offers through the
 * customer's grant tally.
 */
export async function customerHistory(
  stores: HistoryStores,
  playbookIds: readonly string[],
  customerId: string,
  limit: number,
): Promise<CustomerHistory> {
  const [entryLists, offers] = await Promise.all([
    Promise.all(playbookIds.map((id) => entriesOf(stores.entryRuns, id, customerId))),
    grantsOf(stores, customerId),
  ]);
  const entries = entryLists.flat();
  const runs = await inBatches(entries, (entry) => runRecords(stores, entry));
  const decisions = runs.flatMap((run) => run.decisions);
  const deliveries = runs.flatMap((run) => run.deliveries);
  return {
    entries: newest(entries, (entry) => entry.enteredAt.getTime(), limit),
    decisions: newest(decisions, (record) => Date.parse(record.at), limit),
    deliveries: newest(deliveries, (record) => record.createdAt.getTime(), limit),
    offers: newest(offers, (grant) => grant.decidedAt.getTime(), limit),
    totals: {
      entries: entries.length,
      decisions: decisions.length,
      deliveries: deliveries.length,
      offers: offers.length,
    },
  };
}

/** One run's decisions and deliveries. */
async function runRecords(
  stores: HistoryStores,
  entry: EntryRecord,
): Promise<{ decisions: DecisionRecord[]; deliveries: DeliveryRecord[] }> {
  const summary: RunSummaryRecord | null = await stores.runSummaries.findOne({
    _id: runSummaryId(entry.journeyId, entry.entryEventId),
  });
  // A run without a summary (not yet migrated, or its first batch still being recorded) is read
  // seq by seq until the first missing one.
  const decisions = await decisionsOfRun(
    stores.decisions,
    entry.journeyId,
    entry.entryEventId,
    summary?.decisions,
  );
  const keys = deliveryKeys(entry, decisions);
  const found = await Promise.all(keys.map((_id) => stores.deliveries.findOne({ _id })));
  const deliveries: DeliveryRecord[] = [];
  for (const record of found) {
    if (record === null) continue;
    const { _id: _key, ...rest } = record;
    deliveries.push(rest);
  }
  return { decisions, deliveries };
}

/**
 * The idempotency keys a run's deliveries may have: `<run key>:<step>` for a send step's first
 * visit, `#<visit>` after (engine/interpreter/stepKey.ts). Every visit of a send step decides
 * `send`, `suppress` or `holdout` at least once, so their count at a step bounds its visits. Runs
 * entered before IDs were escaped used the unescaped run key.
 */
function deliveryKeys(entry: EntryRecord, decisions: readonly DecisionRecord[]): string[] {
  const visits = new Map<string, number>();
  for (const { action, step } of decisions) {
    if (step === null || !(action === 'send' || action === 'suppress' || action === 'holdout')) continue;
    visits.set(step, (visits.get(step) ?? 0) + 1);
  }
  const prefixes = new Set([
    runKey(entry.playbookId, entry.customerId, entry.entryEventId),
    legacyRunKey(entry.playbookId, entry.customerId, entry.entryEventId),
  ]);
  const keys: string[] = [];
  for (const prefix of prefixes) {
    for (const [step, count] of visits) {
      for (let visit = 1; visit <= count; visit++)
        keys.push(`${prefix}:${step}${visit > 1 ? `#${visit}` : ''}`);
    }
  }
  return keys;
}

/** The customer's offer grants, through their tally (one point read) and then each grant by `_id`. */
async function grantsOf(stores: HistoryStores, customerId: string): Promise<OfferGrantRecord[]> {
  const tally = await stores.offerGrantTallies.findOne({ _id: customerId });
  const keys = [...new Set((tally?.grants ?? []).map((grant) => grant.decisionKey))];
  const grants = await inBatches(keys, (_id) => stores.offerGrants.findOne({ _id }));
  return grants.filter((grant): grant is OfferGrantRecord => grant !== null);
}

async function inBatches<T, R>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += READS_AT_ONCE)
    out.push(...(await Promise.all(items.slice(i, i + READS_AT_ONCE).map(read))));
  return out;
}

/** The newest `limit`, newest first. */
function newest<T>(items: readonly T[], time: (item: T) => number, limit: number): T[] {
  return [...items].sort((a, b) => time(b) - time(a)).slice(0, limit);
}
