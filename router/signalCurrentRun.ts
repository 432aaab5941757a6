import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { JourneyEvent } from '../schemas/events/schema';
import { eventSignal } from '../workflows/messages';

/** How often a signal is tried again while the workflow is between two runs. */
const attempts = 5;
const pauseMs = 50;

/**
 * Signals the workflow's current run, and reports whether a live run took the event.
 *
 * A signal that lands while a run continues as new can be refused as "completed" although the
 * next run is about to take over: the Java test server does not make continue-as-new atomic
 * (temporalio/sdk-java#1538), and older servers had the same race (temporalio/temporal#2694).
 * So a refusal is only believed once the workflow's latest run is seen closed for good; while it
 * is running or has just continued as new, the signal is sent again. An event is never dropped
 * as "no live run" because it arrived during a hand-over.
 */
export async function signalCurrentRun(
  temporal: Client,
  workflowId: string,
  event: JourneyEvent,
): Promise<boolean> {
  const handle = temporal.workflow.getHandle(workflowId);
  for (let attempt = 1; ; attempt++) {
    try {
      await handle.signal(eventSignal, event);
      return true;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      if (neverStarted(error) || !(await betweenRuns(temporal, workflowId))) return false;
      // Still between runs after every try: fail the publish (it is safe to retry) rather than
      // report no live run.
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs * attempt));
    }
  }
}

/**
 * A workflow that never existed cannot be between runs, and asking would cost every new
 * customer's first event a second round trip. The servers say which case it is only in words:
 * "workflow not found for ID" (server), "Execution not found in mutable state" (Java test server),
 * against "workflow execution already completed" and "Completed workflow" for a closed run.
 * Anything else is treated as possibly closed, and checked.
 */
const neverStarted = (error: WorkflowNotFoundError): boolean => /not found/i.test(error.message);

async function betweenRuns(temporal: Client, workflowId: string): Promise<boolean> {
  try {
    const { status } = await temporal.workflow.getHandle(workflowId).describe();
    return status.name === 'RUNNING' || status.name === 'CONTINUED_AS_NEW';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
