import { journeyId } from '../../../engine/interpreter/entry';
import { startBenchStack } from '../harness/benchStack';
import { seedCustomers } from '../harness/customers';
import { benchCartEvent, benchPlaybook, BENCH_PLAYBOOK_ID } from '../harness/playbooks';
import { measureSide, type SideRun } from './measureSide';
import type { SentEvent } from './mailTally';
import type { ComparisonSettings } from './settings';

/**
 * The engine on a fresh bench stack: each event a fresh customer's cart.updated, published through
 * the JourneyClient into the bench playbook, whose first step mails at once. Metered: the worker,
 * the Temporal dev server, FerretDB and this process (the client). The worker is the kill target.
 */
export async function runEngineSide(settings: ComparisonSettings, seed: number): Promise<SideRun> {
  const bench = await startBenchStack({ playbooks: [benchPlaybook] });
  try {
    const { deliveries } = bench.client.collections;
    const { temporal, ferretdb } = bench.pids();
    return await measureSide(
      {
        name: 'engine',
        sink: bench.stack.smtp,
        pids: () => ({ worker: bench.worker().child.pid, temporal, ferretdb, bench: process.pid }),
        prepare: (prefix, count) => seedCustomers(bench.client.collections, prefix, count),
        send: async (customerId, index) =>
          void (await bench.client.journeys.publishEvent(benchCartEvent(customerId, index))),
        target: {
          kill: async () => void (await bench.worker().kill()),
          restart: async () => void (await bench.restartWorker()),
        },
        // Every first send settled: none is still `sending`, whose retry after the activity
        // timeout (30 s past a worker's death) sends again.
        settled: async (events: readonly SentEvent[]) =>
          (await deliveries.countDocuments({
            playbookId: BENCH_PLAYBOOK_ID,
            step: 'now',
            customerId: { $in: events.map((event) => event.eventId) },
            status: { $nin: ['pending', 'sending'] },
          })) === events.length,
        // The retry after a worker died mid-attempt sends again and says so on the delivery record.
        recordedResends: (events: readonly SentEvent[]) =>
          deliveries.countDocuments({
            playbookId: BENCH_PLAYBOOK_ID,
            customerId: { $in: events.map((event) => event.eventId) },
            reconciled: 'resent-after-crash',
          }),
        whereIs: async (customerId) => {
          const delivery = await deliveries.findOne({
            playbookId: BENCH_PLAYBOOK_ID,
            customerId,
            step: 'now',
          });
          const run = await bench.client.temporal.workflow
            .getHandle(journeyId(BENCH_PLAYBOOK_ID, customerId))
            .describe()
            .then(
              (description) => `run ${description.status.name}, ${description.historyLength} history events`,
              (error: unknown) => `no run (${error instanceof Error ? error.message : String(error)})`,
            );
          const record = delivery
            ? `delivery ${delivery.status}${delivery.reason ? ` (${delivery.reason})` : ''}, ${delivery.attempts} attempts`
            : 'no delivery record';
          return `${run}; ${record}`;
        },
      },
      settings,
      seed,
    );
  } finally {
    await bench.stop();
  }
}
