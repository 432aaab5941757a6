import type { Client } from '@temporalio/client';
import { historyTimeline, type HistoryStep } from './historyProbe';

/** Mean milliseconds per run in each phase, from start to the first send activity completing. */
export interface LatencyBreakdown {
  runs: number;
  /** Server round trips (workflow tasks plus activity tasks) before the send completed. */
  roundTrips: number;
  /** Workflow task scheduled → started: Temporal matching the task to a polling worker. */
  workflowTaskQueueMs: number;
  /**
   * Workflow task started → completed: the worker running workflow code (interpreter, SDK) and any
   * local activities, which run inside the task and so have no server round trip of their own.
   */
  workflowTaskRunMs: number;
  /** Local activities recorded (markers) before the send: MongoDB calls made inside workflow tasks. */
  localActivities: number;
  /** Activity scheduled → started: Temporal matching, as above, for activities. */
  activityQueueMs: number;
  /** Activity started → completed, by activity type: MongoDB, SMTP or Twilio time in our activities. */
  activityRunMs: Record<string, number>;
  /** Start to the send activity completing, per run. */
  totalMs: number;
}

const SEND_ACTIVITIES = new Set(['sendEmail', 'sendSms', 'sendBareMail']);

interface RunPhases {
  wftQueue: number;
  wftRun: number;
  actQueue: number;
  actRun: Record<string, number>;
  trips: number;
  local: number;
  total: number;
}

function phasesOf(timeline: readonly HistoryStep[]): RunPhases | undefined {
  const phases: RunPhases = { wftQueue: 0, wftRun: 0, actQueue: 0, actRun: {}, trips: 0, local: 0, total: 0 };
  let wftScheduled: number | undefined;
  let wftStarted: number | undefined;
  const activities = new Map<string, { scheduled: number; started?: number }>();
  let openActivity: string | undefined;
  for (const step of timeline) {
    switch (step.event) {
      case 'WORKFLOW_TASK_SCHEDULED':
        wftScheduled = step.atMs;
        break;
      case 'WORKFLOW_TASK_STARTED':
        if (wftScheduled !== undefined) phases.wftQueue += step.atMs - wftScheduled;
        wftStarted = step.atMs;
        phases.trips += 1;
        break;
      case 'WORKFLOW_TASK_COMPLETED':
        if (wftStarted !== undefined) phases.wftRun += step.atMs - wftStarted;
        break;
      case 'MARKER_RECORDED':
        if (step.detail === 'core_local_activity') phases.local += 1;
        break;
      case 'ACTIVITY_TASK_SCHEDULED':
        activities.set(step.detail ?? '?', { scheduled: step.atMs });
        openActivity = step.detail ?? '?';
        break;
      case 'ACTIVITY_TASK_STARTED': {
        const type = (step.detail ?? '?').replace(/ attempt \d+$/, '');
        const entry = activities.get(type);
        if (entry) {
          phases.actQueue += step.atMs - entry.scheduled;
          entry.started = step.atMs;
        }
        openActivity = type;
        phases.trips += 1;
        break;
      }
      case 'ACTIVITY_TASK_COMPLETED': {
        const type = openActivity ?? '?';
        const entry = activities.get(type);
        if (entry?.started !== undefined)
          phases.actRun[type] = (phases.actRun[type] ?? 0) + step.atMs - entry.started;
        if (SEND_ACTIVITIES.has(type)) {
          phases.total = step.atMs;
          return phases;
        }
        break;
      }
      default:
    }
  }
  return undefined;
}

/**
 * Where event-to-action time goes, read from the runs' histories on the Temporal server: queueing
 * in Temporal, the worker running workflow code, and each activity's own time. Sequential hops
 * only (the journey's activities run one after another), so the phases add up to the total.
 */
export async function latencyBreakdown(
  client: Client,
  workflowIds: readonly string[],
): Promise<LatencyBreakdown> {
  const all: RunPhases[] = [];
  for (const id of workflowIds) {
    const phases = phasesOf(await historyTimeline(client, id).catch(() => []));
    if (phases) all.push(phases);
  }
  const n = Math.max(1, all.length);
  const mean = (pick: (p: RunPhases) => number) => Math.round(all.reduce((s, p) => s + pick(p), 0) / n);
  const activityRunMs: Record<string, number> = {};
  for (const type of new Set(all.flatMap((p) => Object.keys(p.actRun))))
    activityRunMs[type] = mean((p) => p.actRun[type] ?? 0);
  return {
    runs: all.length,
    roundTrips: mean((p) => p.trips),
    workflowTaskQueueMs: mean((p) => p.wftQueue),
    workflowTaskRunMs: mean((p) => p.wftRun),
    localActivities: mean((p) => p.local),
    activityQueueMs: mean((p) => p.actQueue),
    activityRunMs,
    totalMs: mean((p) => p.total),
  };
}

/** Evenly spaced sample of up to `size` items, so a breakdown costs a bounded number of history reads. */
export function spacedSample<T>(items: readonly T[], size: number): T[] {
  if (items.length <= size) return [...items];
  const stride = items.length / size;
  return Array.from({ length: size }, (_, i) => items[Math.floor(i * stride)]!);
}
