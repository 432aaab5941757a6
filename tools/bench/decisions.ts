import { benchOffers } from './offers';
import { atMost, type SectionResult } from './report';
import { benchReserve } from './reserve';
import { benchSimulator } from './simulatorThroughput';

/**
 * Decisions without the workflow around them: offer decision latency over the demo catalog with
 * 5,000 partner offers, contact-slot reserves per second on a fresh FerretDB, simulator events/s.
 */
export async function runDecisions(options: { quick: boolean }): Promise<SectionResult> {
  const offers = benchOffers({
    decisions: options.quick ? 5000 : 10_000,
    own: 200,
    partners: 5000,
    keys: 4000,
  });
  const reserve = await benchReserve({ seconds: options.quick ? 5 : 10, customers: 5000 });
  const simulator = benchSimulator({ customers: options.quick ? 1000 : 2000, days: 90 });
  const all = offers.runs[0]!;
  const partner = offers.runs[1]!;
  const section = 'decisions';
  return {
    figures: [
      {
        section,
        name: 'offer decision p99 (5,000 partner offers)',
        measured: all.latencyMs.p99,
        unit: 'ms',
        target: '≤ 2 ms',
        met: atMost(all.latencyMs.p99, 2),
        note: `p50 ${all.latencyMs.p50.toFixed(3)} ms; CPU time per decision p50 ${all.cpuMs.p50.toFixed(3)} ms, p99 ${all.cpuMs.p99.toFixed(3)} ms; mean CPU ${all.meanCpuMs.toFixed(3)} ms per decision over ${all.decisions}; partner-only p99 ${partner.latencyMs.p99.toFixed(3)} ms; load average ${offers.loadAverage.toFixed(1)}`,
      },
      {
        section,
        name: 'contact-slot reserve',
        measured: reserve.opsPerSecond,
        unit: 'ops/s',
        note: `${reserve.clients} clients, ${reserve.server}; p50 ${reserve.latencyMs.p50.toFixed(1)} ms, p99 ${reserve.latencyMs.p99.toFixed(1)} ms`,
      },
      {
        section,
        name: 'simulator',
        measured: simulator.eventsPerSecond,
        unit: 'events/s',
        note: `${simulator.events} events of ${simulator.customers} customers over ${simulator.days} days, ${simulator.decisions} decisions, every shipped playbook`,
      },
    ],
    details: { offers, reserve, simulator },
  };
}
