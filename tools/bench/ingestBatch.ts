/**
 * How long the HTTP endpoint takes to answer one batch of events on the real stack: the Temporal dev
 * server, FerretDB, a worker process on the prebuilt bundle, `POST /v1/events` in front of the
 * client. Each event is a cart of a fresh, seeded customer, so each one enters the bench journey
 * (a workflow start) as a real cart would. Each size is posted with each publish concurrency, in
 * turn (1 is the one-by-one path before router/publishStages.ts), so both see the same load.
 * Prints the answer times, the machine and its load average.
 * `npx tsx tools/bench/ingestBatch.ts [--sizes 100,500] [--concurrency 1,16] [--repeat 3]`. Not a test: the
 * figures depend on the machine and on what else it runs.
 */
import { loadavg } from 'node:os';
import { StoredHoldoutScheme } from '../../router/holdoutSource';
import { JourneyClient } from '../../router/journeyClient';
import { IngestServer } from '../../router/http/httpServer';
import { loadPolicy } from '../../schemas/policy/load';
import { startBenchStack } from './harness/benchStack';
import { benchCustomerId, seedCustomers } from './harness/customers';
import { formatMachine, machineInfo } from './harness/machine';
import { benchCartEvent, benchPlaybook } from './harness/playbooks';

const TOKEN = 'bench-ingest-token-0123456789';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const sizes = arg('sizes', '100,500').split(',').map(Number);
  const concurrencies = arg('concurrency', '1,16').split(',').map(Number);
  const repeat = Number(arg('repeat', '3'));
  const bench = await startBenchStack({ playbooks: [benchPlaybook] });
  const servers = new Map<number, IngestServer>();
  try {
    const { temporal, collections } = bench.client;
    for (const concurrency of concurrencies) {
      const publisher = new JourneyClient({
        temporal,
        collections,
        taskQueue: bench.config.temporal.taskQueue,
        playbooks: [benchPlaybook],
        holdout: new StoredHoldoutScheme(collections.holdoutSchemes, bench.config.holdout),
        policy: loadPolicy(bench.config.policyFile),
        publishConcurrency: concurrency,
      });
      const server = await IngestServer.start({
        publisher,
        tokens: [TOKEN],
        maxEventsPerRequest: Math.max(...sizes),
        log: (line) => console.error(line),
      });
      servers.set(concurrency, server);
    }
    const total = (sizes.reduce((sum, size) => sum + size, 0) * repeat + 10) * concurrencies.length;
    await seedCustomers(collections, 'ingest', total);
    let next = 0;
    const batch = (size: number) =>
      Array.from({ length: size }, () => {
        const index = next++;
        return benchCartEvent(benchCustomerId('ingest', index), index);
      });
    const post = async (concurrency: number, size: number): Promise<number> => {
      const body = JSON.stringify(batch(size));
      const started = performance.now();
      const response = await fetch(`${servers.get(concurrency)?.url}/v1/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
        body,
      });
      const reply = (await response.json()) as { results?: { status: string }[] };
      const ms = performance.now() - started;
      const accepted = reply.results?.filter((r) => r.status === 'accepted').length ?? 0;
      if (response.status !== 202 || accepted !== size)
        throw new Error(`batch of ${size}: HTTP ${response.status}, ${accepted} accepted`);
      return ms;
    };
    console.log(formatMachine(await machineInfo(bench.stack.env.MONGODB_URI ?? '')));
    // Warm-up: connections, the playbook and holdout caches.
    for (const concurrency of concurrencies) await post(concurrency, 10);
    for (const size of sizes) {
      const times = new Map<number, number[]>(concurrencies.map((c) => [c, []]));
      for (let i = 0; i < repeat; i++) {
        for (const concurrency of concurrencies) times.get(concurrency)?.push(await post(concurrency, size));
      }
      for (const [concurrency, list] of times) {
        list.sort((a, b) => a - b);
        const median = list[Math.floor(list.length / 2)] ?? 0;
        console.log(
          `batch of ${size} events, publish concurrency ${concurrency}: answered in ` +
            `${list.map((t) => (t / 1000).toFixed(2)).join(', ')} s (median ${(median / 1000).toFixed(2)} s, ` +
            `${(median / size).toFixed(1)} ms per event)`,
        );
      }
    }
    console.log(
      `load average (1, 5, 15 min) at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')}`,
    );
  } finally {
    for (const server of servers.values()) await server.stop();
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
