import { proxyActivities } from '@temporalio/workflow';
import type { BareActivities, BareMail } from './activities';

// The same timeout and retry start as the engine's journey workflow, so neither side is favoured.
const { sendBareMail } = proxyActivities<BareActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** The baseline: what a hand-written "on event, send an email" workflow costs, nothing else. */
export async function bareSendWorkflow(mail: BareMail): Promise<void> {
  await sendBareMail(mail);
}
