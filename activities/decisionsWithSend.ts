import type { RecordDecisionsInput } from './recordDecisions';

/**
 * Wraps a send so it first writes the decisions that led to it, when the run hands them over with
 * the send (journey patch `fewer-local-activities`): the send ends the workflow task anyway, and a
 * separate local activity for the write cost the worker an activation of its own. Written before the
 * provider is called, by the same idempotent insert as recordDecisions: a retried attempt writes
 * nothing twice, and a send that never goes out still leaves the decisions behind.
 */
export function withDecisions<Input, Result>(
  send: (input: Input) => Promise<Result>,
  record: (input: RecordDecisionsInput) => Promise<void>,
): (input: Input & { decisions?: RecordDecisionsInput }) => Promise<Result> {
  return async (input) => {
    if (input.decisions !== undefined && input.decisions.decisions.length > 0) await record(input.decisions);
    return send(input);
  };
}
