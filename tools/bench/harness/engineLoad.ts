import type { BenchStack } from './benchStack';
import { benchCustomerId, seedCustomers } from './customers';
import { runLoad, type LoadResult } from './load';
import { benchCartEvent, customerFromEmail } from './playbooks';
import { SendTracker } from './sends';
import { percentiles, type Percentiles } from './stats';

export interface EngineLoadOptions {
  /** Customer id prefix; unique per load on one stack, so every event is a fresh customer's. */
  prefix: string;
  rate: number;
  durationMs?: number;
  count?: number;
  maxInFlight?: number;
  /** How long to wait after the last publish for the remaining messages. */
  settleTimeoutMs?: number;
}

export interface DeliveryFigures {
  events: number;
  publishErrors: number;
  /** Events whose message arrived before settling gave up. */
  delivered: number;
  /** Messages beyond one per customer (should be 0: one send per event until the 30-day wait). */
  duplicates: number;
  /** Event accepted (publish start) to message accepted by the sink. */
  latencyMs: Percentiles;
  /** Publish call alone: start to the client's acknowledgement. */
  publishMs: Percentiles;
  /**
   * Offered rate and achieved: this load's messages accepted per second over a window as long as
   * the load, shifted by the first third's median latency, so a pipeline that keeps up with a
   * constant delay counts as keeping up, and a backlog from an earlier load does not count.
   */
  offeredPerSecond: number;
  sendsPerSecond: number;
  /** Issued but without a message when the last event was issued: the backlog the load left. */
  backlogAtEnd: number;
  /** Median latency of the first and the last third of events: a rising one means a growing backlog. */
  firstThirdP50: number;
  lastThirdP50: number;
  /**
   * Delivered events per second from the first publish to the last message: the throughput of a
   * saturating batch, where the offered rate is above what the system can do.
   */
  throughputPerSecond: number;
  /** How far the client fell behind its schedule (maxInFlight reached): client-side backlog. */
  maxIssueLagMs: number;
  load: LoadResult;
}

function third(latencies: readonly (number | undefined)[], which: 0 | 2): number {
  const size = Math.floor(latencies.length / 3);
  const slice = which === 0 ? latencies.slice(0, size) : latencies.slice(latencies.length - size);
  return percentiles(slice.filter((v): v is number => v !== undefined)).p50;
}

/**
 * One open-loop load of bench carts through the engine's entry point (JourneyClient.publishEvent),
 * one fresh customer per event, measured at the SMTP sink: latency per event and throughput.
 */
export async function runEngineLoad(bench: BenchStack, options: EngineLoadOptions): Promise<DeliveryFigures> {
  const count = options.count ?? Math.floor(((options.durationMs ?? 0) / 1000) * options.rate);
  await seedCustomers(bench.client.collections, options.prefix, count);
  const tracker = new SendTracker(bench.stack.smtp, bench.stack.twilio, customerFromEmail);
  const journeys = bench.client.journeys;
  const load = await runLoad({
    rate: options.rate,
    count,
    maxInFlight: options.maxInFlight ?? 200,
    publish: async (index) => {
      const customerId = benchCustomerId(options.prefix, index);
      await journeys.publishEvent(benchCartEvent(customerId, index));
      return customerId;
    },
  });
  return measureDeliveries(tracker, load, options.settleTimeoutMs ?? 60_000);
}

/** Waits for each acknowledged event's message and computes the figures; shared by engine and bare. */
export async function measureDeliveries(
  tracker: SendTracker,
  load: LoadResult,
  settleTimeoutMs: number,
): Promise<DeliveryFigures> {
  const ids = load.events.flatMap((e) => (e.id === undefined ? [] : [e.id]));
  // What had arrived by the time the last event was issued, before settling adds more.
  tracker.poll();
  const deliveredWhileIssuing = ids.filter((id) => {
    const at = tracker.firstArrival(id);
    return at !== undefined && at <= load.issuedUntil;
  }).length;
  await tracker.waitForAll(ids, settleTimeoutMs);
  const latencies = load.events.map((e) => {
    const at = e.id === undefined ? undefined : tracker.firstArrival(e.id);
    return at === undefined ? undefined : at - e.sentAt;
  });
  const measured = latencies.filter((v): v is number => v !== undefined);
  const arrivalsOfLoad = ids.flatMap((id) => tracker.firstArrival(id) ?? []);
  const lastArrival = arrivalsOfLoad.reduce((a, b) => Math.max(a, b), load.startedAt);
  const batchSeconds = Math.max(0.001, (lastArrival - load.startedAt) / 1000);
  const issueSeconds = Math.max(0.001, (load.issuedUntil - load.startedAt) / 1000);
  const shift = third(latencies, 0);
  const delay = Number.isNaN(shift) ? 0 : shift;
  const arrivalsInWindow = arrivalsOfLoad.filter(
    (at) => at >= load.startedAt + delay && at <= load.issuedUntil + delay,
  ).length;
  return {
    events: load.events.length,
    publishErrors: load.errors,
    delivered: measured.length,
    duplicates: tracker.duplicates,
    latencyMs: percentiles(measured),
    publishMs: percentiles(
      load.events.flatMap((e) => (e.ackedAt === undefined ? [] : [e.ackedAt - e.sentAt])),
    ),
    offeredPerSecond: load.events.length / issueSeconds,
    sendsPerSecond: arrivalsInWindow / issueSeconds,
    backlogAtEnd: load.events.length - deliveredWhileIssuing,
    firstThirdP50: third(latencies, 0),
    lastThirdP50: third(latencies, 2),
    throughputPerSecond: arrivalsOfLoad.length / batchSeconds,
    maxIssueLagMs: load.maxIssueLagMs,
    load,
  };
}
