import { setTimeout as sleep } from 'node:timers/promises';
import type { JourneyClient } from '../../router/journeyClient';
import { InvalidEventError } from '../../schemas/events/parse';
import type { JourneyEventInput } from '../../schemas/events/schema';
import type { AcknowledgedEvent } from './check';

/** One event of the load: when it is first published, and when each further copy goes out. */
export interface PlannedEvent {
  event: JourneyEventInput & { customerId: string };
  /** Milliseconds after the load starts. */
  at: number;
  /** Delays of the re-publishes after the first (empty: published once); 0 is concurrent. */
  copies: readonly number[];
}

export interface LoadResult {
  acknowledged: AcknowledgedEvent[];
  publishes: number;
  /** publishEvent calls that failed (a server was down) and were retried. */
  retries: number;
  /** Why publishes failed, by the first words of the error, for the log. */
  retryReasons: Record<string, number>;
  durationMs: number;
}

const MAX_BACKOFF_MS = 4_000;

/**
 * Publishes until publishEvent resolves: a service whose call failed tries again, and only an
 * acknowledged event is one the engine owes an action for. An invalid event is the plan's bug.
 */
async function publishUntilAcknowledged(
  journeys: JourneyClient,
  event: JourneyEventInput,
  onRetry: (error: unknown) => void,
): Promise<void> {
  for (let backoff = 250; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    try {
      await journeys.publishEvent(event);
      return;
    } catch (error) {
      if (error instanceof InvalidEventError) throw error;
      onRetry(error);
      await sleep(backoff);
    }
  }
}

/** Open loop: each event goes out on its schedule whether or not earlier ones were acknowledged. */
export async function runLoad(journeys: JourneyClient, plan: readonly PlannedEvent[]): Promise<LoadResult> {
  const started = Date.now();
  const acknowledged = new Map<string, AcknowledgedEvent>();
  let publishes = 0;
  let retries = 0;
  const retryReasons: Record<string, number> = {};
  const onRetry = (error: unknown): void => {
    retries++;
    const reason = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 80);
    retryReasons[reason] = (retryReasons[reason] ?? 0) + 1;
  };
  const publishOne = async (planned: PlannedEvent, delay: number): Promise<void> => {
    const wait = started + planned.at + delay - Date.now();
    if (wait > 0) await sleep(wait);
    publishes++;
    await publishUntilAcknowledged(journeys, planned.event, onRetry);
    acknowledged.set(planned.event.eventId, {
      eventId: planned.event.eventId,
      customerId: planned.event.customerId,
    });
  };
  await Promise.all(
    plan.flatMap((planned) => [0, ...planned.copies].map((delay) => publishOne(planned, delay))),
  );
  return {
    acknowledged: [...acknowledged.values()],
    publishes,
    retries,
    retryReasons,
    durationMs: Date.now() - started,
  };
}
