import type { BenchStack } from './harness/benchStack';
import { runEngineLoad, type DeliveryFigures } from './harness/engineLoad';
import { atMost, type SectionResult } from './report';

export const LOW_RATE = 10;

/** Drops the per-event records: results.json keeps distributions, not 10,000 rows. */
export function summary(figures: DeliveryFigures): Omit<DeliveryFigures, 'load'> {
  const { load: _load, ...rest } = figures;
  return rest;
}

/**
 * Event to action at a low rate: from the publish call starting (the event being accepted) to the
 * SMTP sink accepting that customer's message, one fresh customer per event.
 */
export async function runEventToAction(
  bench: BenchStack,
  options: { durationMs: number },
): Promise<SectionResult & { result: DeliveryFigures }> {
  const result = await runEngineLoad(bench, {
    prefix: 'e2a',
    rate: LOW_RATE,
    durationMs: options.durationMs,
  });
  const section = 'event to action';
  const at = `at ${LOW_RATE}/s`;
  const note = `${result.delivered}/${result.events} delivered over ${options.durationMs / 1000} s; publish call p50 ${result.publishMs.p50} ms`;
  return {
    result,
    figures: [
      { section, name: `p50 ${at}`, measured: result.latencyMs.p50, unit: 'ms' },
      { section, name: `p95 ${at}`, measured: result.latencyMs.p95, unit: 'ms' },
      {
        section,
        name: `p99 ${at}`,
        measured: result.latencyMs.p99,
        unit: 'ms',
        target: '≤ 250 ms',
        met: atMost(result.latencyMs.p99, 250) && result.delivered === result.events,
        note,
      },
    ],
    details: { eventToActionLowRate: summary(result) },
  };
}
