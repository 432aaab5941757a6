import { ApplicationFailure } from '@temporalio/activity';
import type { JourneyEventInput } from '../schemas/events/schema';
import type { EventPublisher } from '../schemas/events/publisher';

export interface PublishedEvent {
  eventId: string;
  /** `duplicate`: an earlier attempt (or run) published it already; nothing was done again. */
  status: 'accepted' | 'duplicate';
}

/**
 * Publishes an event the engine itself computed (a replenishment falling due, a customer lapsing,
 * a seasonal moment) through the same path as a service's event: validation, the inbox unique by
 * eventId, profiles, routing. Its eventId is derived from what it stands for, so a retried
 * activity or a replayed timer publishes it once.
 */
export function createPublishEvent(deps: { publisher?: EventPublisher }) {
  return async function publishEvent(event: JourneyEventInput): Promise<PublishedEvent> {
    if (deps.publisher === undefined)
      throw ApplicationFailure.nonRetryable('this worker was started without an event publisher');
    const [outcome] = await deps.publisher.publishEvents([event]);
    if (outcome === undefined) throw new Error(`publishing ${event.eventId} gave no outcome`);
    if (outcome.status === 'rejected')
      // A computed event the schema refuses is a bug in the computation: retrying cannot fix it.
      throw ApplicationFailure.nonRetryable(
        `computed event ${event.eventId} (${event.type}) is invalid: ${outcome.issues
          .map((issue) => `${issue.path}: ${issue.message}`)
          .join('; ')}`,
      );
    return { eventId: outcome.eventId, status: outcome.status };
  };
}
