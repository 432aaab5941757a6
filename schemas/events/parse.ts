import { upgradeEvent } from '../../engine/events/normalise';
import { occurredAtIssue, type OccurredAtWindow } from './occurredAtWindow';
import { JourneyEvent } from './schema';
import { toInputIssues, type InputIssue } from '../issues';

/** Raised before anything reaches Temporal or MongoDB; names the event and every bad field. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly eventRef: string,
    readonly issues: InputIssue[],
  ) {
    super(`Invalid event ${eventRef}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/** Where an event is received: its clock and the `occurredAt` window it enforces (schemas/events/occurredAtWindow.ts). */
export interface Arrival {
  receivedAt: Date;
  window: OccurredAtWindow;
}

/**
 * Validates an event, in today's form or the form from before the renames of issue 15, which is
 * rewritten into today's first (engine/events/renamedFields.ts lists them): what a producer sent
 * before stays accepted, and everything behind this door sees one form. With an arrival, its `occurredAt` must also lie inside the window around the
 * time it was received; without one (a file replayed offline), any valid date goes.
 */
export function parseEvent(input: unknown, arrival?: Arrival): JourneyEvent {
  const result = JourneyEvent.safeParse(upgradeEvent(input));
  if (!result.success) throw new InvalidEventError(describeEvent(input), toInputIssues(result.error));
  const issue = arrival && occurredAtIssue(result.data.occurredAt, arrival.receivedAt, arrival.window);
  if (issue !== undefined) throw new InvalidEventError(describeEvent(input), [issue]);
  return result.data;
}

/** The best handle a reader has on a malformed event: its ID and type when those are readable. */
function describeEvent(input: unknown): string {
  if (typeof input !== 'object' || input === null) return `(not an object: ${typeof input})`;
  const record = input as Record<string, unknown>;
  const id = typeof record.eventId === 'string' ? `"${record.eventId}"` : '(no eventId)';
  return typeof record.type === 'string' ? `${id} of type "${record.type}"` : id;
}
