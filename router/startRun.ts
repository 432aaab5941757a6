import type { Client } from '@temporalio/client';
import type { Arm } from '../engine/measurement/holdout';
import { runPolicy } from '../engine/contactPolicy/effective';
import { markdownText } from '../engine/render/markdownText';
import type { JourneyEvent } from '../schemas/events/schema';
import type { Playbook } from '../schemas/playbook/schema';
import type { ContactPolicy } from '../schemas/policy/schema';
import type { JourneyInput, journeyWorkflow } from '../workflows/journey';
import { eventSignal } from '../workflows/messages';
import { CustomerId, PlaybookId, PlaybookVersion } from '../workflows/searchAttributes';
import { versionLabel } from './playbookSource';

export interface NewRun {
  workflowId: string;
  playbook: Playbook;
  customerId: string;
  arm: Arm;
  trigger: JourneyEvent;
  /** The workspace contact policy; the run keeps this playbook's rules, frozen at entry. */
  policy?: ContactPolicy;
}

/**
 * Starts a journey run with its trigger as the first signal, or only signals it when another
 * publisher started it a moment ago (which is harmless: the run drops a repeated event). The
 * search attributes and summary are what Ops filter and read by in the Temporal Web UI.
 */
export async function startJourneyRun(temporal: Client, taskQueue: string, run: NewRun): Promise<void> {
  const { workflowId, playbook, customerId, arm, trigger, policy } = run;
  const input: JourneyInput = {
    schemaVersion: 1,
    playbook,
    customerId,
    arm,
    trigger,
    ...(policy !== undefined && { policy: runPolicy(policy, playbook.id) }),
  };
  await temporal.workflow.signalWithStart<typeof journeyWorkflow, [JourneyEvent]>('journeyWorkflow', {
    workflowId,
    taskQueue,
    args: [input],
    signal: eventSignal,
    signalArgs: [trigger],
    typedSearchAttributes: [
      { key: CustomerId, value: customerId },
      { key: PlaybookId, value: playbook.id },
      { key: PlaybookVersion, value: versionLabel(playbook) },
    ],
    // The UI renders these as Markdown: IDs and names from outside must show as the text they are.
    staticSummary: markdownText(`${playbook.name} for ${customerId}`),
    staticDetails: markdownText(
      `Playbook ${playbook.id} ${versionLabel(playbook)}; entered by ${trigger.type} ${trigger.eventId}`,
    ),
  });
}
