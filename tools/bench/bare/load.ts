import type { BenchStack } from '../harness/benchStack';
import { benchCustomerId } from '../harness/customers';
import { measureDeliveries, type DeliveryFigures } from '../harness/engineLoad';
import { runLoad } from '../harness/load';
import { benchEmail, customerFromEmail } from '../harness/playbooks';
import { SendTracker } from '../harness/sends';
import type { BareMail } from './activities';
import { BARE_TASK_QUEUE } from './process';
import type { bareSendWorkflow } from './workflow';

export interface BareLoadOptions {
  prefix: string;
  rate: number;
  durationMs?: number;
  count?: number;
  maxInFlight?: number;
  settleTimeoutMs?: number;
}

/**
 * The same open-loop load as the engine's, one fresh customer per event, through the bare
 * workflow: the "client" starts one workflow per event with client.workflow.start, measured at the
 * same SMTP sink.
 */
export async function runBareLoad(bench: BenchStack, options: BareLoadOptions): Promise<DeliveryFigures> {
  const count = options.count ?? Math.floor(((options.durationMs ?? 0) / 1000) * options.rate);
  const tracker = new SendTracker(bench.stack.smtp, bench.stack.twilio, customerFromEmail);
  const client = bench.client.temporal;
  const load = await runLoad({
    rate: options.rate,
    count,
    maxInFlight: options.maxInFlight ?? 200,
    publish: async (index) => {
      const customerId = benchCustomerId(options.prefix, index);
      const mail: BareMail = {
        to: benchEmail(customerId),
        subject: `Your cart, Bench${index}`,
        text: `Hi Bench${index}, your cart holds Bench tee.`,
      };
      await client.workflow.start<typeof bareSendWorkflow>('bareSendWorkflow', {
        taskQueue: BARE_TASK_QUEUE,
        workflowId: `bare-${customerId}`,
        args: [mail],
      });
      return customerId;
    },
  });
  return measureDeliveries(tracker, load, options.settleTimeoutMs ?? 60_000);
}
