import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const EventType = temporal.api.enums.v1.EventType;

export interface HistoryStep {
  /** Milliseconds since the run's first event. */
  atMs: number;
  event: string;
  /** For activity events: the activity type and the attempt that completed or failed. */
  detail?: string;
}

function millis(time: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!time) return Number.NaN;
  return Number(time.seconds ?? 0) * 1000 + (time.nanos ?? 0) / 1e6;
}

/**
 * A run's history as a timeline: where the time from start to the send goes (workflow tasks
 * waiting in the queue, activity retries, timers), read from the Temporal server itself.
 */
export async function historyTimeline(client: Client, workflowId: string): Promise<HistoryStep[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const start = millis(events[0]?.eventTime);
  const activityTypes = new Map<string, string>();
  return events.map((e) => {
    const name = (EventType[e.eventType ?? 0] ?? String(e.eventType)).replace('EVENT_TYPE_', '');
    let detail: string | undefined;
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const type = scheduled.activityType?.name ?? '?';
      activityTypes.set(String(e.eventId), type);
      detail = type;
    }
    const started = e.activityTaskStartedEventAttributes;
    if (started)
      detail = `${activityTypes.get(String(started.scheduledEventId)) ?? '?'} attempt ${started.attempt}`;
    const marker = e.markerRecordedEventAttributes;
    if (marker) detail = marker.markerName ?? undefined;
    const failed = e.activityTaskFailedEventAttributes;
    if (failed) detail = failed.failure?.message ?? undefined;
    return { atMs: Math.round(millis(e.eventTime) - start), event: name, ...(detail && { detail }) };
  });
}
