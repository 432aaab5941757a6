import type { JourneyClient } from '../../router/journeyClient';
import type { JourneyEvent } from '../../schemas/events/schema';
import { percentiles, type Percentiles } from './harness/stats';

export interface BatchRun {
  via: 'client' | 'http';
  batchSize: number;
  lanes: number;
  published: number;
  /** Events whose outcome named a run: expected 0 for the no-run class. */
  reachedRun: number;
  wallMs: number;
  eventsPerSecond: number;
  /** Time from a batch's call to its answer. */
  batchMs: Percentiles;
}

/**
 * The bulk path under load: `lanes` publishers, each with its own customers (one customer's events
 * stay in one lane, in order), each sending its events in batches of `batchSize`, the next batch when
 * the last is answered, until the events or the budget run out: through JourneyClient.publishEvents,
 * or through POST /v1/events as ndjson.
 */
export async function publishInBatches(
  events: readonly JourneyEvent[],
  options: {
    via: 'client' | 'http';
    client: JourneyClient;
    url: string;
    token: string;
    batchSize: number;
    lanes: number;
    budgetMs: number;
    laneOf: (event: JourneyEvent) => string;
  },
): Promise<BatchRun> {
  const lanes: JourneyEvent[][] = Array.from({ length: options.lanes }, () => []);
  const laneIndex = new Map<string, number>();
  for (const event of events) {
    const key = options.laneOf(event);
    const index = laneIndex.get(key) ?? laneIndex.size % options.lanes;
    laneIndex.set(key, index);
    lanes[index]?.push(event);
  }
  const publish = async (batch: JourneyEvent[]): Promise<number> => {
    if (options.via === 'client') {
      const outcomes = await options.client.publishEvents(batch);
      return outcomes.filter((o) => o.status !== 'rejected' && o.deliveredTo.length > 0).length;
    }
    const response = await fetch(options.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-ndjson', Authorization: `Bearer ${options.token}` },
      body: batch.map((event) => JSON.stringify(event)).join('\n'),
    });
    const reply = (await response.json()) as { results?: { deliveredTo?: string[] }[] };
    if (response.status !== 202) throw new Error(`POST /v1/events: HTTP ${response.status}`);
    return (reply.results ?? []).filter((r) => (r.deliveredTo?.length ?? 0) > 0).length;
  };
  const batchMs: number[] = [];
  let published = 0;
  let reachedRun = 0;
  const started = performance.now();
  const deadline = started + options.budgetMs;
  await Promise.all(
    lanes.map(async (lane) => {
      for (let from = 0; from < lane.length && performance.now() < deadline; from += options.batchSize) {
        const batch = lane.slice(from, from + options.batchSize);
        const at = performance.now();
        reachedRun += await publish(batch);
        batchMs.push(performance.now() - at);
        published += batch.length;
      }
    }),
  );
  const wallMs = performance.now() - started;
  return {
    via: options.via,
    batchSize: options.batchSize,
    lanes: options.lanes,
    published,
    reachedRun,
    wallMs,
    eventsPerSecond: (published * 1000) / wallMs,
    batchMs: percentiles(batchMs),
  };
}
