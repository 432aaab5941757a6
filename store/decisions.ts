import { MongoBulkWriteError, type Collection } from 'mongodb';
import type { Decision } from '../engine/interpreter/types';
import { idPart } from '../engine/ids/idParts';
import { isDuplicateKeyError } from './duplicateKey';

/**
 * One line of a run's decision log, as stored. Runs of one playbook for one customer can share a
 * workflow ID (re-entry after exit or a cooldown), so the run is named by the workflow ID and its
 * entry event, and `seq` numbers the decisions within it. The same run, decision and seq always
 * give the same `_id`: a retried activity or a replayed workflow writes nothing new.
 */
export type DecisionRecord = Decision & {
  /** `${journeyId}:${entryEventId}:${seq}`, the event ID escaped: see decisionRecordId. */
  _id: string;
  journeyId: string;
  entryEventId: string;
  seq: number;
  playbookVersion: number;
  /** When the record was first written; a rewrite of the same `_id` keeps the first. */
  recordedAt: Date;
};

export function decisionRecordId(journeyId: string, entryEventId: string, seq: number): string {
  // The workflow ID is already composed (engine/ids/idParts); the event ID is escaped as one more part,
  // so an entry event ID with a `:` cannot pass for a longer workflow ID.
  return `${journeyId}:${idPart(entryEventId)}:${seq}`;
}

/**
 * Writes the records; those already there are left as they are. Unordered, so the new records of a
 * batch that partly repeats an earlier one are still written. Only duplicate `_id`s are ignored:
 * the driver sets the error's `code` from the first write error alone, so every one is checked.
 */
export async function recordDecisions(
  decisions: Collection<DecisionRecord>,
  records: readonly DecisionRecord[],
): Promise<void> {
  if (records.length === 0) return; // insertMany refuses an empty batch
  try {
    // An optional field passed as undefined would otherwise be stored as null.
    await decisions.insertMany([...records], { ordered: false, ignoreUndefined: true });
  } catch (error) {
    if (!onlyDuplicateKeys(error)) throw error;
  }
}

/**
 * FerretDB 1.24 and MongoDB both report each refused document as a write error with code 11000. A
 * write concern error rides on the same exception when there are write errors too, and is not ignored.
 */
function onlyDuplicateKeys(error: unknown): boolean {
  if (!(error instanceof MongoBulkWriteError)) return false;
  if (error.result.getWriteConcernError() !== undefined) return false;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return writeErrors.length > 0 && writeErrors.every((writeError) => isDuplicateKeyError(writeError));
}
