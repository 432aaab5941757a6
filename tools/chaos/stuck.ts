import type { Client } from '@temporalio/client';

const SHOWN = 5;

/**
 * What the journey runs that never finished were doing, from Temporal itself: their pending
 * activities and the last events of their histories. Evidence for a bug report, read before the
 * stack goes away.
 */
export async function describeStuckRuns(
  temporal: Client,
  taskQueue: string,
): Promise<Record<string, unknown>[]> {
  const stuck: Record<string, unknown>[] = [];
  const query = `TaskQueue = "${taskQueue}" AND WorkflowType = "journeyWorkflow" AND ExecutionStatus = "Running"`;
  for await (const run of temporal.workflow.list({ query })) {
    if (stuck.length >= SHOWN) break;
    const handle = temporal.workflow.getHandle(run.workflowId, run.runId);
    const description = await handle.describe();
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    stuck.push({
      workflowId: run.workflowId,
      historyLength: events.length,
      lastEvents: events.slice(-6).map((e) => String(e.eventType)),
      pendingActivities: (description.raw.pendingActivities ?? []).map((a) => ({
        activityType: a.activityType?.name,
        state: a.state,
        attempt: a.attempt,
        lastFailure: a.lastFailure?.message,
      })),
      pendingWorkflowTask: description.raw.pendingWorkflowTask
        ? {
            state: description.raw.pendingWorkflowTask.state,
            attempt: description.raw.pendingWorkflowTask.attempt,
          }
        : undefined,
    });
  }
  return stuck;
}
