import type { Collection } from 'mongodb';
import { idPart } from '../engine/ids/idParts';
import type { CounterWriter } from './consoleCounts';
import { decisionRecordId, type DecisionRecord } from './decisions';
import { isDuplicateKeyError } from './duplicateKey';
import { foldDecisions, NOT_STARTED, type RunProgress } from './runProgress';

/**
 * One run's summary, under `_id` = `<journeyId>:<entry event ID, escaped>` (the prefix of its decision
 * records' `_id`s): how many decisions it recorded (so `explain` reads them by `_id`), where it stands
 * and whether it ended (so the router does not signal a run that is over). Written only by its own
 * run's recordDecisions activity, one batch after another, or created once by the backfill.
 */
export interface RunSummaryRecord extends RunProgress {
  _id: string;
  journeyId: string;
  entryEventId: string;
  playbookId: string;
  customerId: string;
  /** Decisions recorded and counted: seq 0 up to this, exclusive. */
  decisions: number;
  updatedAt: Date;
}

/** Marks a batch of a run counted (`<run>#<first seq>`): inserted before its counts are added. */
export interface RunCountMarker {
  _id: string;
  at: Date;
}

export interface RunSummaryStores {
  decisions: Collection<DecisionRecord>;
  runSummaries: Collection<RunSummaryRecord>;
  runCountMarkers: Collection<RunCountMarker>;
  counters: CounterWriter;
}

export function runSummaryId(journeyId: string, entryEventId: string): string {
  return `${journeyId}:${idPart(entryEventId)}`;
}

export async function findRunSummary(
  runSummaries: Collection<RunSummaryRecord>,
  journeyId: string,
  entryEventId: string,
): Promise<RunSummaryRecord | null> {
  return runSummaries.findOne({ _id: runSummaryId(journeyId, entryEventId) });
}

function progressOf(summary: RunSummaryRecord): RunProgress {
  return {
    step: summary.step,
    passed: summary.passed,
    ...(summary.outcome !== undefined && { outcome: summary.outcome, endedAt: summary.endedAt }),
  };
}

/**
 * Moves the run's summary past a batch of its decision records (already stored), counting what it
 * adds. A run whose summary does not exist yet (its first batch, or a run recorded before summaries)
 * gets one built from its earlier decisions, read by `_id`. A retried batch adds nothing: the records
 * the summary covers are skipped, and a batch's counts are added only after its marker was inserted
 * (a crash between the two loses that batch's counts, never doubles them).
 */
export async function advanceRunSummary(
  stores: RunSummaryStores,
  records: readonly DecisionRecord[],
  now: Date,
): Promise<void> {
  const first = records[0];
  if (first === undefined) return;
  const _id = runSummaryId(first.journeyId, first.entryEventId);
  const summary = (await stores.runSummaries.findOne({ _id })) ?? (await createSummary(stores, first, now));
  const fresh = records.filter((record) => record.seq >= summary.decisions).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0 || fresh[0]!.seq !== summary.decisions) return; // covered, or not contiguous
  const { progress, deltas } = foldDecisions(progressOf(summary), fresh);
  if (await insertMarker(stores.runCountMarkers, `${_id}#${summary.decisions}`, now))
    await stores.counters.addDeltas(first.playbookId, deltas);
  await stores.runSummaries.updateOne(
    { _id },
    {
      $set: {
        decisions: fresh.at(-1)!.seq + 1,
        step: progress.step,
        passed: progress.passed,
        ...(progress.outcome !== undefined && { outcome: progress.outcome, endedAt: progress.endedAt }),
        updatedAt: now,
      },
    },
  );
}

/**
 * The summary of a run first seen at `first`: built from its decisions before `first.seq`. Whoever
 * inserts it (this activity or the backfill) counts what it covers; the other finds it.
 */
async function createSummary(
  stores: RunSummaryStores,
  first: DecisionRecord,
  now: Date,
): Promise<RunSummaryRecord> {
  const earlier = await decisionsOfRun(stores.decisions, first.journeyId, first.entryEventId, first.seq);
  const { progress, deltas } = foldDecisions(NOT_STARTED, earlier);
  const summary = summaryRecord(first, earlier.length, progress, now);
  try {
    await stores.runSummaries.insertOne(summary);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const stored = await stores.runSummaries.findOne({ _id: summary._id });
    if (stored === null) throw error;
    return stored;
  }
  await stores.counters.addDeltas(first.playbookId, deltas);
  return summary;
}

function summaryRecord(
  run: Pick<DecisionRecord, 'journeyId' | 'entryEventId' | 'playbookId' | 'customerId'>,
  decisions: number,
  progress: RunProgress,
  now: Date,
): RunSummaryRecord {
  return {
    _id: runSummaryId(run.journeyId, run.entryEventId),
    journeyId: run.journeyId,
    entryEventId: run.entryEventId,
    playbookId: run.playbookId,
    customerId: run.customerId,
    decisions,
    ...progress,
    updatedAt: now,
  };
}

async function insertMarker(markers: Collection<RunCountMarker>, _id: string, at: Date): Promise<boolean> {
  try {
    await markers.insertOne({ _id, at });
    return true;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return false;
  }
}

/**
 * A run's decision records by `_id`, seq 0 up to `count` (exclusive), in parallel; or, when the count
 * is unknown, one after another until the first missing seq.
 */
export async function decisionsOfRun(
  decisions: Collection<DecisionRecord>,
  journeyId: string,
  entryEventId: string,
  count?: number,
): Promise<DecisionRecord[]> {
  const byId = (seq: number) => decisions.findOne({ _id: decisionRecordId(journeyId, entryEventId, seq) });
  if (count !== undefined) {
    const found = await Promise.all(Array.from({ length: count }, (_, seq) => byId(seq)));
    return found.filter((record): record is DecisionRecord => record !== null);
  }
  const out: DecisionRecord[] = [];
  for (let record = await byId(0); record !== null; record = await byId(out.length)) out.push(record);
  return out;
}

/**
 * Builds the summaries (and their counts) of the runs recorded before summaries existed: one pass
 * over `decisions` (run once per database, by store/migrations.ts). A run whose summary a worker
 * created meanwhile is left to it; each summary inserted here adds its run's counts once.
 */
export async function backfillRunSummaries(
  stores: Pick<RunSummaryStores, 'decisions' | 'runSummaries' | 'counters'>,
  now: Date,
): Promise<number> {
  const runs = new Map<string, DecisionRecord[]>();
  for await (const record of stores.decisions.find({})) {
    const id = runSummaryId(record.journeyId, record.entryEventId);
    const list = runs.get(id) ?? [];
    list.push(record);
    runs.set(id, list);
  }
  let created = 0;
  for (const records of runs.values()) {
    records.sort((a, b) => a.seq - b.seq);
    // Only the records from seq 0 on without a gap: a summary counts what explain can read by `_id`.
    const contiguous = records.filter((record, i) => record.seq === i);
    const first = contiguous[0];
    if (first === undefined) continue;
    const { progress, deltas } = foldDecisions(NOT_STARTED, contiguous);
    try {
      await stores.runSummaries.insertOne(summaryRecord(first, contiguous.length, progress, now));
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      continue;
    }
    await stores.counters.addDeltas(first.playbookId, deltas);
    created += 1;
  }
  return created;
}
