import { composeId, MAX_WORKFLOW_ID_BYTES } from './idParts';

/*
 * The engine's business keys, each composed by ./idParts so that different parts never share one.
 * A part without `:`, `%`, `~` or control characters appears as it is.
 */

/**
 * A journey run's workflow ID: `journey:<playbookId>:<customerId>`, or `…:<key value>` when the
 * playbook declares an entry key. A second event for the same customer (and key) reaches the
 * running journey instead of starting another.
 */
export function journeyId(playbookId: string, customerId: string, keyValue?: string): string {
  const parts = keyValue === undefined ? [playbookId, customerId] : [playbookId, customerId, keyValue];
  return composeId(['journey', ...parts], MAX_WORKFLOW_ID_BYTES);
}

/**
 * What a run's message keys start with: `<playbookId>:<customerId>:<entry eventId>`, so a retried
 * activity or a replayed workflow finds the same idempotency key and never sends twice. The event ID
 * is left as it is: it runs up to the `:<stepId>` that stepKey appends (a step ID has no `:`), so
 * escaping the customer alone keeps keys apart, and keys of runs entered by computed events (whose
 * IDs hold `:`) stay as they were.
 */
export function runKey(playbookId: string, customerId: string, entryEventId: string): string {
  return `${composeId([playbookId, customerId])}:${entryEventId}`;
}

/**
 * The run key of runs started before parts were escaped, which their replays must keep computing
 * (see the `injective-run-key` patch in workflows/journey.ts): the same as runKey whenever the
 * customer ID holds no `:`, `%`, `~` or control character.
 */
export function legacyRunKey(playbookId: string, customerId: string, entryEventId: string): string {
  return `${playbookId}:${customerId}:${entryEventId}`;
}
