import type { BenchStack } from './harness/benchStack';
import { runEngineLoad, type DeliveryFigures } from './harness/engineLoad';
import { summary } from './eventToAction';
import type { SectionResult } from './report';

export interface Step {
  rate: number;
  sustained: boolean;
  why: string;
  figures: Omit<DeliveryFigures, 'load'>;
}

/** Sends keep up: at least this share of the offered rate is accepted while the load runs. */
const KEEP_UP = 0.9;
/** Latency does not trend up: the last third's median within this factor (plus slack) of the first's. */
const TREND_FACTOR = 1.5;
const TREND_SLACK_MS = 100;

export function judge(figures: DeliveryFigures): { sustained: boolean; why: string } {
  const keepsUp = figures.sendsPerSecond >= KEEP_UP * figures.offeredPerSecond;
  const flat = figures.lastThirdP50 <= TREND_FACTOR * figures.firstThirdP50 + TREND_SLACK_MS;
  const complete = figures.delivered === figures.events && figures.publishErrors === 0;
  const why = [
    `${figures.sendsPerSecond.toFixed(1)} sends/s of ${figures.offeredPerSecond.toFixed(1)} offered`,
    `p50 first third ${figures.firstThirdP50} ms, last third ${figures.lastThirdP50} ms`,
    `${figures.delivered}/${figures.events} delivered`,
  ].join('; ');
  return { sustained: keepsUp && flat && complete, why };
}

/** One step: the load at `rate` for the step's time, judged. */
async function runStep(
  bench: BenchStack,
  prefix: string,
  rate: number,
  options: { stepMs: number; settleTimeoutMs: number },
): Promise<Step> {
  const figures = await runEngineLoad(bench, {
    prefix,
    rate,
    durationMs: options.stepMs,
    settleTimeoutMs: options.settleTimeoutMs,
  });
  const verdict = judge(figures);
  console.log(`  step ${rate}/s: ${verdict.sustained ? 'sustained' : 'NOT sustained'} (${verdict.why})`);
  return { rate, ...verdict, figures: summary(figures) };
}

/**
 * Steps the offered rate up until the engine stops keeping up (sends lag the rate, or latency
 * climbs within the step). The highest step that kept up is the sustained rate.
 */
export async function runStepUp(
  bench: BenchStack,
  options: { rates: readonly number[]; stepMs: number; settleTimeoutMs: number },
): Promise<SectionResult & { sustainedRate: number | undefined; steps: Step[] }> {
  const steps: Step[] = [];
  for (const rate of options.rates) {
    const step = await runStep(bench, `step${rate}`, rate, options);
    steps.push(step);
    if (!step.sustained) break;
  }
  const best = steps.filter((s) => s.sustained).at(-1);
  const section = 'highest sustained rate';
  const latency = best?.figures.latencyMs;
  const note = best
    ? `steps of ${options.stepMs / 1000} s: ${steps.map((s) => `${s.rate}/s ${s.sustained ? 'ok' : 'not sustained'}`).join(', ')}`
    : `not even ${options.rates[0]}/s was sustained: ${steps[0]?.why ?? 'no step ran'}`;
  return {
    sustainedRate: best?.rate,
    steps,
    figures: [
      { section, name: 'rate', measured: best?.rate, unit: 'events/s', note },
      { section, name: 'p50 at that rate', measured: latency?.p50, unit: 'ms' },
      { section, name: 'p95 at that rate', measured: latency?.p95, unit: 'ms' },
      { section, name: 'p99 at that rate', measured: latency?.p99, unit: 'ms' },
    ],
    details: { stepUp: steps },
  };
}

/**
 * When the first rate was not sustained: steps down until one is. The first rate that keeps up is
 * the sustained rate; its percentiles are the latency "at the highest sustained rate".
 */
export async function runStepDown(
  bench: BenchStack,
  options: { rates: readonly number[]; stepMs: number; settleTimeoutMs: number },
): Promise<{ sustainedRate: number | undefined; steps: Step[] }> {
  const steps: Step[] = [];
  for (const rate of options.rates) {
    const step = await runStep(bench, `down${rate}`, rate, options);
    steps.push(step);
    if (step.sustained) break;
  }
  return { sustainedRate: steps.find((s) => s.sustained)?.rate, steps };
}
