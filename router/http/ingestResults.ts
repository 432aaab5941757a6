import type { BodyEntry } from './eventsBody';
import type { PublishOutcome } from '../../schemas/events/publisher';

/** A publish outcome as the HTTP endpoint reports it: `index` in the request, `line` for ndjson. */
export type IngestResult = PublishOutcome & { line?: number };

/** The inputs to hand the publisher: the entries that parsed as JSON, in request order. */
export function publishableValues(entries: readonly BodyEntry[]): unknown[] {
  return entries.flatMap((entry) => ('value' in entry ? [entry.value] : []));
}

/** Puts the publisher's outcomes (one per publishable value, in order) back in their request slots. */
export function mergeResults(
  entries: readonly BodyEntry[],
  outcomes: readonly PublishOutcome[],
): IngestResult[] {
  const expected = entries.filter((entry) => 'value' in entry).length;
  if (outcomes.length !== expected) {
    throw new Error(`the publisher returned ${outcomes.length} outcomes for ${expected} events`);
  }
  let next = 0;
  return entries.map((entry, index) => {
    const at = entry.line === undefined ? { index } : { index, line: entry.line };
    if ('invalidJson' in entry) {
      return {
        ...at,
        status: 'rejected',
        issues: [{ path: '(root)', message: `invalid JSON: ${entry.invalidJson}` }],
      };
    }
    const { index: _publisherIndex, ...outcome } = outcomes[next++] as PublishOutcome;
    return { ...at, ...outcome };
  });
}

/** Says in words what happened when some events were rejected, and that the others went through. */
export function rejectionMessage(results: readonly IngestResult[], single: boolean): string {
  const rejected = results.filter((r) => r.status === 'rejected');
  const first = rejected[0];
  if (single && first?.status === 'rejected') {
    return `the event was rejected: ${first.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
  }
  const published = results.length - rejected.length;
  if (published === 0)
    return `all ${results.length} events were rejected (see their issues); none was published`;
  return (
    `${rejected.length} of ${results.length} events were rejected (see their issues); ` +
    `the other ${published} were published (see each result's status)`
  );
}
