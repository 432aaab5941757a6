import type { Collection } from 'mongodb';
import type { Decision } from '../engine/interpreter/types';
import { decisionRecordId, recordDecisions as storeDecisions, type DecisionRecord } from '../store/decisions';
import { advanceRunSummary, type RunSummaryStores } from '../store/runSummaries';

export interface RecordDecisionsDeps extends Omit<RunSummaryStores, 'decisions'> {
  decisions: Collection<DecisionRecord>;
  now?: () => Date;
}

export interface RecordDecisionsInput {
  /** The workflow ID. */
  journeyId: string;
  /** With the workflow ID, names the run: a re-entry reuses the workflow ID under a new entry event. */
  entryEventId: string;
  playbookVersion: number;
  /** The run's count of decisions recorded before this batch; the batch gets firstSeq, firstSeq+1, … */
  firstSeq: number;
  decisions: Decision[];
}

/**
 * Persists a batch of the run's decisions. The workflow numbers them, so a retry of this activity
 * or a replay of the workflow writes the same `_id`s and nothing twice. Then moves the run's summary
 * past them (store/runSummaries.ts): its decision count, its step and whether it ended, and the
 * console counts the batch adds, all kept here rather than by new workflow commands, so recorded
 * histories replay unchanged.
 */
export function createRecordDecisions(deps: RecordDecisionsDeps) {
  const now = deps.now ?? (() => new Date());
  return async function recordDecisions(input: RecordDecisionsInput): Promise<void> {
    const recordedAt = now();
    const records = input.decisions.map((decision, i): DecisionRecord => {
      const seq = input.firstSeq + i;
      return {
        ...decision,
        _id: decisionRecordId(input.journeyId, input.entryEventId, seq),
        journeyId: input.journeyId,
        entryEventId: input.entryEventId,
        seq,
        playbookVersion: input.playbookVersion,
        recordedAt,
      };
    });
    await storeDecisions(deps.decisions, records);
    await advanceRunSummary({ ...deps, decisions: deps.decisions }, records, recordedAt);
  };
}
