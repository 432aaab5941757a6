import type { InputIssue } from '../issues';

/** What happened to one submitted event. Each event succeeds or fails on its own. */
export type PublishOutcome =
  | { index: number; eventId: string; status: 'accepted'; deliveredTo: string[]; deliveredCount?: number }
  /** Already accepted under this eventId: nothing was done again. */
  | { index: number; eventId: string; status: 'duplicate'; deliveredTo: string[]; deliveredCount?: number }
  /** Failed validation: nothing was stored or sent. */
  | { index: number; eventId?: string; status: 'rejected'; issues: InputIssue[] };

/**
 * The one way events enter the engine: the typed client implements it, and the HTTP endpoint and
 * the `journeys events publish` command call it. Inputs are unvalidated; validation happens inside.
 * It sits with the event schemas, below its users, so the publishEvent activity can take one
 * without importing the router above it.
 */
export interface EventPublisher {
  publishEvents(inputs: readonly unknown[]): Promise<PublishOutcome[]>;
}
