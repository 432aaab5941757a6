import { JourneyEvent } from './schema';
import { toInputIssues, type InputIssue } from '../validation/issues';

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

export function parseEvent(input: unknown): JourneyEvent {
  const result = JourneyEvent.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidEventError(describeEvent(input), toInputIssues(result.error));
}

/** The best handle a reader has on a malformed event: its ID and type when those are readable. */
function describeEvent(input: unknown): string {
  if (typeof input !== 'object' || input === null) return `(not an object: ${typeof input})`;
  const record = input as Record<string, unknown>;
  const id = typeof record.eventId === 'string' ? `"${record.eventId}"` : '(no eventId)';
  return typeof record.type === 'string' ? `${id} of type "${record.type}"` : id;
}
