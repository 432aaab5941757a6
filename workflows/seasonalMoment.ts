import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { JourneyActivities } from '../activities';
import type { PublishedEvent } from '../activities/publishEvent';
import type { Cohort } from '../schemas/events/cohort';

/*
 * One firing of a seasonal moment: the action of the moment's Temporal Schedule
 * (`journeys seasons sync`). It publishes `season.started`, which fans out to the moment's cohort
 * through the JourneyClient like any other event. The eventId is the moment and the scheduled time,
 * so a retried activity, a re-run or an overlapping firing of the same slot publishes it once.
 */

/** The moment as the calendar defined it at the last sync: plain data, validated there. */
export interface SeasonalMomentInput {
  momentId: string;
  name: string;
  cohort: Cohort;
  hints?: Record<string, string>;
  /** The slot this run stands for; absent when a schedule starts it (the schedule says which). */
  scheduledAt?: string;
}

/** Set by the Temporal server on every workflow a schedule starts. */
const ScheduledStartTime = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

const { publishEvent } = proxyActivities<JourneyActivities>({
  // A fan-out to a large cohort streams customers in pages; give it room, and heartbeat-free retries.
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** `season:<momentId>:<scheduled instant>`: one event per moment and slot, whoever starts it. */
export function seasonEventId(momentId: string, scheduledAt: string): string {
  return `season:${momentId}:${scheduledAt}`;
}

export async function seasonalMomentWorkflow(input: SeasonalMomentInput): Promise<PublishedEvent> {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(ScheduledStartTime);
  // The slot, not the clock: a run started late still publishes the slot's event.
  const at = new Date(input.scheduledAt ?? scheduled ?? info.startTime).toISOString();
  return publishEvent({
    eventId: seasonEventId(input.momentId, at),
    type: 'season.started',
    occurredAt: at,
    data: {
      momentId: input.momentId,
      name: input.name,
      startsAt: at,
      cohort: input.cohort,
      ...(input.hints !== undefined && { hints: input.hints }),
    },
  });
}
