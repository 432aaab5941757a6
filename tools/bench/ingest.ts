import { resolve } from 'node:path';
import { defineSignal } from '@temporalio/workflow';
import { IngestServer } from '../../router/http/httpServer';
import { loadPlaybooks } from '../../schemas/playbook/load';
import type { JourneyEvent } from '../../schemas/events/schema';
import { BARE_TASK_QUEUE, startBareWorker } from './bare/process';
import type { bareSendWorkflow } from './bare/workflow';
import { ackLoop, type AckFigures } from './harness/ackLoop';
import { startBenchStack } from './harness/benchStack';
import { benchEmail } from './harness/playbooks';
import { CpuMeter, cpuPerUnit, describePerUnit, type CpuUse } from './harness/procStats';
import { demoEvents, insertStored, prefixed, seedStoredEvents } from './harness/storedEvents';
import { publishInBatches, type BatchRun } from './ingestBulk';
import type { Figure, SectionResult } from './report';
import { cpuPids } from './sustained';

/*
 * `npm run bench -- --only ingest [--levels 10000,100000] [--ingest-seconds 30] [--ingest-concurrency 16]`:
 * publishing on top of a stored backlog. All fifteen shipped playbooks route; the events are the
 * demo generator's mix (tools/demo) for customers whose profiles and first events are stored.
 * At each level of stored events (seeded straight into the inbox and profiles,
 * harness/storedEvents.ts), each pass publishes a fresh copy of the same sample (its customers' and
 * events' IDs prefixed per pass, their creation events stored first), from the same point of the
 * mix, so levels and ways in compare like with like: through JourneyClient.publishEvent and through
 * POST /v1/events (one event a request), each a closed loop of `concurrency` publishers for a time
 * budget: events/s, acknowledgement p50/p99 split by whether the event reached a run, CPU per event
 * per process. Then the events that reached no run in the client pass, again as a fresh copy, in
 * batches through publishEvents and through POST /v1/events as ndjson (the bulk path,
 * ingestBulk.ts): the rate of that class alone. Then a bare loop of signalWithStart calls on the same
 * Temporal server (the bare workflow of bench/bare/), so the engine's rate for events that reach a
 * run is a ratio.
 */

const TOKEN = 'bench-ingest-token-0123456789';
const SAMPLE_CUSTOMERS = 3000;
/** The bare workflow handles no signal: it is buffered, as an engine run's event would be delivered. */
const bareEventSignal = defineSignal<[{ eventId: string }]>('event');

export interface IngestOptions {
  levels: number[];
  budgetMs: number;
  concurrency: number;
  /** Events per publishEvents call or request in the bulk passes, and batches in flight. */
  batchSize: number;
  batchLanes: number;
  log: (text: string) => void;
}

interface Pass {
  level: number;
  via: 'client' | 'http' | 'bare signalWithStart';
  ack: AckFigures;
  cpu: CpuUse;
  cpuMsPerEvent: Partial<Record<string, number>>;
}

const customerOf = (event: JourneyEvent) => ('customerId' in event ? event.customerId : event.eventId);

export async function runIngest(options: IngestOptions): Promise<SectionResult> {
  const playbooks = loadPlaybooks(resolve(__dirname, '../../playbooks'));
  const bench = await startBenchStack({ playbooks });
  const bare = await startBareWorker(bench.stack.env);
  let server: IngestServer | undefined;
  try {
    const { collections, journeys, temporal } = bench.client;
    server = await IngestServer.start({
      publisher: journeys,
      tokens: [TOKEN],
      maxEventsPerRequest: options.batchSize,
      maxBodyBytes: options.batchSize * 4096,
    });
    const url = `${server.url}/v1/events`;
    const now = Date.now();
    // The measured customers: their creation events stored (as the backlog is), the rest of their
    // 30 days published in time order. Every pass takes a fresh copy (IDs prefixed per pass) from
    // the start of that stream, so each level and way in publishes the same slice of the mix.
    const sample = demoEvents({ customers: SAMPLE_CUSTOMERS, seed: 7, now }).filter((e) => 'customerId' in e);
    const setup = sample.filter(
      (e) => e.type === 'customer.upserted' && e.occurredAt === sample[0]?.occurredAt,
    );
    const stream = sample.slice(setup.length);
    let copies = 0;
    let stored = 0;
    const freshCopy = async (events: readonly JourneyEvent[]) => {
      const prefix = `p${++copies}-`;
      // Only the creation events of the customers this copy publishes count into the stored level.
      const customers = new Set(events.map(customerOf));
      const created = setup.filter((e) => customers.has(customerOf(e))).map((e) => fresh(e, prefix));
      await insertStored(collections, created, new Date(now));
      stored += created.length;
      return events.map((e) => fresh(e, prefix));
    };
    let chunk = 0;
    const seeding: { level: number; events: number; ms: number; eventsPerSecond: number }[] = [];
    const passes: Pass[] = [];
    const bulk: (BatchRun & { level: number; cpuMsPerEvent: Partial<Record<string, number>> })[] = [];
    const meter = new CpuMeter(() => ({ ...cpuPids(bench)(), bare: bare.child.pid }));
    const pass = async <T>(
      level: number,
      via: Pass['via'],
      items: readonly T[],
      keyOf: (item: T) => string,
      publish: (item: T) => Promise<boolean>,
    ) => {
      meter.start();
      const run = await ackLoop(items, {
        concurrency: options.concurrency,
        budgetMs: options.budgetMs,
        keyOf,
        publish,
      });
      const cpu = meter.stop();
      const result: Pass = { level, via, ack: run.figures, cpu, cpuMsPerEvent: cpuPerUnit(cpu, run.done) };
      passes.push(result);
      options.log(
        `  ${via} at ${level}: ${run.figures.eventsPerSecond.toFixed(1)} events/s, ack p50/p99 ${Math.round(run.figures.all.p50)}/${Math.round(run.figures.all.p99)} ms ` +
          `(no run ${run.figures.noRun.count}: ${Math.round(run.figures.noRun.p50)}/${Math.round(run.figures.noRun.p99)}; ` +
          `reached a run ${run.figures.reachedRun.count}: ${Math.round(run.figures.reachedRun.p50)}/${Math.round(run.figures.reachedRun.p99)}); ` +
          `CPU ms per event: ${describePerUnit(result.cpuMsPerEvent)}`,
      );
      return run.done;
    };
    // Enough of the stream for a pass at any rate the budget allows; what is not published is left.
    const slice = stream.slice(0, Math.max(200, Math.ceil(options.budgetMs / 1000) * 200));
    for (const level of options.levels) {
      if (level > stored) {
        const started = performance.now();
        const seeded = await seedStoredEvents(collections, { count: level - stored, fromChunk: chunk, now });
        const ms = performance.now() - started;
        chunk = seeded.nextChunk;
        stored += seeded.written;
        seeding.push({ level, events: seeded.written, ms, eventsPerSecond: (seeded.written * 1000) / ms });
        options.log(
          `seeded ${seeded.written} stored events to ${stored} in ${(ms / 1000).toFixed(1)} s (${Math.round((seeded.written * 1000) / ms)}/s)`,
        );
      }
      // Which position of the slice reached no run, from the client pass: the no-run class.
      const clientItems = (await freshCopy(slice)).map((event, position) => ({ event, position }));
      const reachedNoRun = new Set<number>();
      stored += await pass(
        level,
        'client',
        clientItems,
        ({ event }) => customerOf(event),
        async ({ event, position }) => {
          const result = await journeys.publishEvent(event);
          if (result.deliveredTo.length === 0) reachedNoRun.add(position);
          return result.deliveredTo.length > 0;
        },
      );
      const httpItems = await freshCopy(slice);
      stored += await pass(level, 'http', httpItems, customerOf, async (event) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify(event),
        });
        const reply = (await response.json()) as { results?: { deliveredTo?: string[] }[] };
        if (response.status !== 202) throw new Error(`POST /v1/events: HTTP ${response.status}`);
        return (reply.results?.[0]?.deliveredTo?.length ?? 0) > 0;
      });
      const noRun = slice.filter((_, position) => reachedNoRun.has(position));
      for (const via of ['client', 'http'] as const) {
        const events = await freshCopy(noRun);
        meter.start();
        const run = await publishInBatches(events, {
          via,
          client: journeys,
          url,
          token: TOKEN,
          batchSize: options.batchSize,
          lanes: options.batchLanes,
          budgetMs: options.budgetMs,
          laneOf: customerOf,
        });
        const cpu = meter.stop();
        stored += run.published;
        const cpuMsPerEvent = cpuPerUnit(cpu, run.published);
        bulk.push({ ...run, level, cpuMsPerEvent });
        options.log(
          `  ${via} batches of ${options.batchSize} at ${level}, no-run class: ${run.eventsPerSecond.toFixed(0)} events/s ` +
            `(${run.published} in ${(run.wallMs / 1000).toFixed(1)} s, ${run.reachedRun} reached a run); CPU ms per event: ${describePerUnit(cpuMsPerEvent)}`,
        );
      }
    }
    // The bare loop: one signalWithStart per call, the same closed loop, on the same server.
    const last = options.levels[options.levels.length - 1] ?? 0;
    const bareItems = Array.from(
      { length: Math.ceil(options.budgetMs / 1000) * 300 },
      (_, i) => `bare-sws-${i}`,
    );
    await pass(
      last,
      'bare signalWithStart',
      bareItems,
      (id) => id,
      async (id) => {
        await temporal.workflow.signalWithStart<typeof bareSendWorkflow, [{ eventId: string }]>(
          'bareSendWorkflow',
          {
            taskQueue: BARE_TASK_QUEUE,
            workflowId: id,
            args: [{ to: benchEmail(id), subject: 'Bench', text: 'Bench' }],
            signal: bareEventSignal,
            signalArgs: [{ eventId: id }],
          },
        );
        return true;
      },
    );
    return {
      figures: figuresOf(passes, bulk, seeding, options),
      details: { ingest: { seeding, passes, bulk } },
    };
  } finally {
    await server?.stop();
    await bare.stop();
    await bench.stop();
  }
}

function figuresOf(
  passes: readonly Pass[],
  bulk: readonly (BatchRun & { level: number; cpuMsPerEvent: Partial<Record<string, number>> })[],
  seeding: readonly { level: number; events: number; ms: number; eventsPerSecond: number }[],
  options: IngestOptions,
): Figure[] {
  const section = 'ingest';
  const figures: Figure[] = [];
  const bare = passes.find((p) => p.via === 'bare signalWithStart');
  for (const p of passes) {
    const { ack } = p;
    const name = p.via === 'bare signalWithStart' ? 'bare signalWithStart' : `${p.via} at ${p.level} stored`;
    figures.push({
      section,
      name: `${name}: rate`,
      measured: ack.eventsPerSecond,
      unit: 'events/s',
      note:
        `${ack.published} in ${(ack.wallMs / 1000).toFixed(1)} s, ${options.concurrency} in flight; ack p50/p99 ${Math.round(ack.all.p50)}/${Math.round(ack.all.p99)} ms; ` +
        `no run: ${ack.noRun.count}, p50/p99 ${Math.round(ack.noRun.p50)}/${Math.round(ack.noRun.p99)} ms; ` +
        `reached a run: ${ack.reachedRun.count}, p50/p99 ${Math.round(ack.reachedRun.p50)}/${Math.round(ack.reachedRun.p99)} ms; ` +
        `CPU ms per event: ${describePerUnit(p.cpuMsPerEvent)}`,
    });
    figures.push({ section, name: `${name}: ack p50`, measured: ack.all.p50, unit: 'ms' });
    figures.push({ section, name: `${name}: ack p99`, measured: ack.all.p99, unit: 'ms' });
    if (p === bare) continue;
    // Each kind at the rate its acks allow with the loop's publishers in flight: in-flight ÷ mean ack.
    const alone = (meanMs: number) => (options.concurrency * 1000) / meanMs;
    figures.push({
      section,
      name: `${name}: no run, alone (one event a call)`,
      measured: alone(ack.noRunMeanMs),
      unit: 'events/s',
      note: `${ack.noRun.count} events, ${options.concurrency} in flight ÷ mean ack ${ack.noRunMeanMs.toFixed(0)} ms; the bulk path's figure is the target's`,
    });
    if (bare === undefined) continue;
    const ratio = alone(ack.reachedRunMeanMs) / bare.ack.eventsPerSecond;
    figures.push({
      section,
      name: `${name}: reaching a run ÷ bare`,
      measured: ratio,
      unit: '×',
      target: '≥ 0.8',
      met: Number.isNaN(ratio) ? undefined : ratio >= 0.8,
      note: `${ack.reachedRun.count} events, ${alone(ack.reachedRunMeanMs).toFixed(1)}/s (${options.concurrency} in flight ÷ mean ack ${ack.reachedRunMeanMs.toFixed(0)} ms) vs bare signalWithStart ${bare.ack.eventsPerSecond.toFixed(1)}/s`,
    });
  }
  for (const b of bulk) {
    figures.push({
      section,
      name: `${b.via} batches at ${b.level} stored: no run`,
      measured: b.eventsPerSecond,
      unit: 'events/s',
      target: '≥ 1000',
      met: b.eventsPerSecond >= 1000,
      note:
        `the events that reached no run in the client pass, a fresh copy: ${b.published} in ${(b.wallMs / 1000).toFixed(1)} s, ` +
        `batches of ${b.batchSize}, ${b.lanes} in flight (${b.via === 'http' ? 'POST /v1/events ndjson' : 'publishEvents'}); ` +
        `batch p50/p99 ${Math.round(b.batchMs.p50)}/${Math.round(b.batchMs.p99)} ms; ${b.reachedRun} reached a run; ` +
        `CPU ms per event: ${describePerUnit(b.cpuMsPerEvent)}`,
    });
  }
  for (const s of seeding) {
    figures.push({
      section,
      name: `seeding to ${s.level}`,
      measured: s.eventsPerSecond,
      unit: 'events/s',
      note: `${s.events} inbox records and their profiles by insertMany in ${(s.ms / 1000).toFixed(1)} s`,
    });
  }
  return figures;
}

/** A pass's own copy of an event: its customer, event, order and cart IDs prefixed. */
function fresh(event: JourneyEvent, prefix: string): JourneyEvent {
  const copy = prefixed(event, prefix);
  const data = (copy as { data?: Record<string, unknown> }).data;
  if (data === undefined) return copy;
  const renamed = { ...data };
  for (const key of ['orderId', 'cartId'])
    if (typeof renamed[key] === 'string') renamed[key] = `${prefix}${renamed[key]}`;
  return { ...copy, data: renamed } as JourneyEvent;
}
