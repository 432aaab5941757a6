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
 * The workflow ID a run got before parts were escaped: the same as journeyId unless the customer ID
 * or key holds a `:`, `%`, `~` or control character (or the ID is over-long), so only then can a
 * customer have a live run under another ID.
 */
export function legacyJourneyId(playbookId: string, customerId: string, keyValue?: string): string {
  return ['journey', playbookId, customerId, ...(keyValue === undefined ? [] : [keyValue])].join(':');
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
