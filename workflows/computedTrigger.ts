import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { JourneyActivities } from '../activities';
import { supersedes, type TimerCommand } from '../engine/triggers/timerCommands';
import { rearmSignal } from './triggerMessages';

const { publishEvent } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export interface ComputedTriggerInput {
  /** Continue-as-new hands the pending command over here; a fresh timer gets it by signal. */
  pending?: TimerCommand;
}

export interface ComputedTriggerResult {
  eventId: string;
  status: 'accepted' | 'duplicate';
  dueAt: string;
  /** Workflow time of the publish: dueAt, or later when the timer was armed after its due time. */
  firedAt: string;
}

/**
 * One durable timer of a computed trigger (workflow ID `trigger:<timerId>`), started and moved by
 * signalWithStart from the client: it sleeps until the pending command's due time, publishes its
 * event through the ordinary path, and completes. A purchase re-arms it instead of a poll ever
 * looking for customers who are due; the next purchase after it fired starts a new run under the
 * same ID.
 */
export async function computedTriggerWorkflow(
  input: ComputedTriggerInput = {},
): Promise<ComputedTriggerResult> {
  let pending = input.pending;
  setHandler(rearmSignal, (command) => {
    if (supersedes(command, pending)) pending = command;
  });
  for (;;) {
    const due = await waitUntilDue(() => pending);
    if (due === 'continueAsNew') {
      await condition(allHandlersFinished);
      return continueAsNew<typeof computedTriggerWorkflow>({ ...(pending && { pending }) });
    }
    const firedAt = new Date(Date.now()).toISOString();
    const published = await publishEvent(due.event);
    // A purchase signalled while publishing moved the timer: wait for the new time instead of ending.
    if (pending !== due) continue;
    await condition(allHandlersFinished);
    return { ...published, dueAt: new Date(due.dueAt).toISOString(), firedAt };
  }
}

/** Sleeps until the pending command is due, following every re-arm; or says the history is long. */
async function waitUntilDue(
  current: () => TimerCommand | undefined,
): Promise<TimerCommand | 'continueAsNew'> {
  await condition(() => current() !== undefined);
  for (;;) {
    const armed = current()!;
    const remaining = armed.dueAt - Date.now();
    if (remaining <= 0) return armed;
    await condition(() => current() !== armed || workflowInfo().continueAsNewSuggested, remaining);
    if (current() === armed && workflowInfo().continueAsNewSuggested) return 'continueAsNew';
  }
}
