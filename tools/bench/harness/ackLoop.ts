import { fmix32 } from '../../../engine/ids/hash';
import { percentiles, type Percentiles } from './stats';

export interface Ack {
  ms: number;
  /** The event started or signalled a run (its publish named at least one workflow). */
  reached: boolean;
}

export interface AckFigures {
  published: number;
  wallMs: number;
  eventsPerSecond: number;
  all: Percentiles;
  noRun: Percentiles;
  reachedRun: Percentiles;
  /** Mean acknowledgement of each kind: with `concurrency` in flight, that kind alone would go at concurrency ÷ mean. */
  noRunMeanMs: number;
  reachedRunMeanMs: number;
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;

function laneOf(key: string, lanes: number): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return (fmix32(h) >>> 0) % lanes;
}

/**
 * A closed loop of `concurrency` publishers, each with its own customers' items in order (one
 * customer's events never overtake each other, as publishEvents keeps them), until the items or
 * the budget run out. Each acknowledgement is timed from the call to its answer.
 */
export async function ackLoop<T>(
  items: readonly T[],
  options: {
    concurrency: number;
    budgetMs: number;
    keyOf: (item: T) => string;
    publish: (item: T) => Promise<boolean>;
  },
): Promise<{ acks: Ack[]; done: number; figures: AckFigures }> {
  const lanes: T[][] = Array.from({ length: options.concurrency }, () => []);
  for (const item of items) lanes[laneOf(options.keyOf(item), options.concurrency)]!.push(item);
  const acks: Ack[] = [];
  const started = performance.now();
  const deadline = started + options.budgetMs;
  let done = 0;
  await Promise.all(
    lanes.map(async (lane) => {
      for (const item of lane) {
        if (performance.now() > deadline) return;
        const at = performance.now();
        const reached = await options.publish(item);
        acks.push({ ms: performance.now() - at, reached });
        done++;
      }
    }),
  );
  const wallMs = performance.now() - started;
  return {
    acks,
    done,
    figures: {
      published: acks.length,
      wallMs,
      eventsPerSecond: (acks.length * 1000) / wallMs,
      all: percentiles(acks.map((a) => a.ms)),
      noRun: percentiles(acks.filter((a) => !a.reached).map((a) => a.ms)),
      reachedRun: percentiles(acks.filter((a) => a.reached).map((a) => a.ms)),
      noRunMeanMs: mean(acks.filter((a) => !a.reached).map((a) => a.ms)),
      reachedRunMeanMs: mean(acks.filter((a) => a.reached).map((a) => a.ms)),
    },
  };
}
