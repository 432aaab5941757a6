import { startBareWorker } from './bare/process';
import { runBareLoad } from './bare/load';
import { startBenchStack } from './harness/benchStack';
import { runEngineLoad, type DeliveryFigures } from './harness/engineLoad';
import { benchPlaybook } from './harness/playbooks';
import { CpuMeter, cpuPerUnit, describePerUnit } from './harness/procStats';
import { LOW_RATE, summary } from './eventToAction';
import { atLeast, type SectionResult } from './report';
import { cpuPids, describeCpu } from './sustained';

/** Offered far above what either side sends, so the batch measures capacity, not the offered rate. */
const BATCH_RATE = 200;
const BATCH_IN_FLIGHT = 50;

/**
 * The engine against a minimal hand-written workflow that only sends (bench/bare/), side by side
 * on one fresh stack (same Temporal server, same SMTP sink, each worker its own process): p50 at
 * 10 events/s, and throughput as a saturating batch with the same in-flight limit. The ratio is
 * what caps, priority, holdouts, records and offers cost.
 */
export async function runBareComparison(options: {
  lowRateMs: number;
  batch: number;
}): Promise<SectionResult> {
  const bench = await startBenchStack({ playbooks: [benchPlaybook] });
  const bare = await startBareWorker(bench.stack.env);
  try {
    // Both warmed up first (cold sandbox, pools, JIT), not reported, so neither pays for starting.
    await runEngineLoad(bench, { prefix: 'cmp-engine-warmup', rate: 5, count: 30 });
    await runBareLoad(bench, { prefix: 'cmp-bare-warmup', rate: 5, count: 30 });
    const engineLow = await runEngineLoad(bench, {
      prefix: 'cmp-engine-low',
      rate: LOW_RATE,
      durationMs: options.lowRateMs,
    });
    const bareLow = await runBareLoad(bench, {
      prefix: 'cmp-bare-low',
      rate: LOW_RATE,
      durationMs: options.lowRateMs,
    });
    const batch = (prefix: string) => ({
      prefix,
      rate: BATCH_RATE,
      count: options.batch,
      maxInFlight: BATCH_IN_FLIGHT,
      settleTimeoutMs: 240_000,
    });
    const meter = new CpuMeter(() => ({ ...cpuPids(bench)(), bare: bare.child.pid }));
    meter.start();
    const engineBatch = await runEngineLoad(bench, batch('cmp-engine-batch'));
    const engineCpu = meter.stop();
    meter.start();
    const bareBatch = await runBareLoad(bench, batch('cmp-bare-batch'));
    const bareCpu = meter.stop();
    const engineCpuPerSend = cpuPerUnit(engineCpu, engineBatch.delivered);
    const bareCpuPerSend = cpuPerUnit(bareCpu, bareBatch.delivered);
    const section = 'engine ÷ bare';
    const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
    const throughputRatio = ratio(engineBatch.throughputPerSecond, bareBatch.throughputPerSecond);
    const p50Ratio = ratio(engineLow.latencyMs.p50, bareLow.latencyMs.p50);
    const done = (f: DeliveryFigures) => `${f.delivered}/${f.events}`;
    return {
      figures: [
        {
          section,
          name: 'throughput ratio',
          measured: throughputRatio,
          unit: '×',
          target: '≥ 0.6',
          met: atLeast(throughputRatio, 0.6),
          note: `batch of ${options.batch} offered at ${BATCH_RATE}/s, ≤ ${BATCH_IN_FLIGHT} in flight: engine ${engineBatch.throughputPerSecond.toFixed(1)}/s (${done(engineBatch)}; CPU ${describeCpu(engineCpu)}), bare ${bareBatch.throughputPerSecond.toFixed(1)}/s (${done(bareBatch)}; CPU ${describeCpu(bareCpu)})`,
        },
        {
          section,
          name: `p50 ratio at ${LOW_RATE}/s`,
          measured: p50Ratio,
          unit: '×',
          note: `engine p50 ${engineLow.latencyMs.p50} ms (p99 ${engineLow.latencyMs.p99}), bare p50 ${bareLow.latencyMs.p50} ms (p99 ${bareLow.latencyMs.p99})`,
        },
        {
          section,
          name: 'bare throughput',
          measured: bareBatch.throughputPerSecond,
          unit: 'sends/s',
          note: `CPU ms per send: ${describePerUnit(bareCpuPerSend)}`,
        },
        {
          section,
          name: 'engine throughput (batch)',
          measured: engineBatch.throughputPerSecond,
          unit: 'journeys/s',
          note: `CPU ms per journey: ${describePerUnit(engineCpuPerSend)}`,
        },
      ],
      details: {
        bare: {
          engineLow: summary(engineLow),
          bareLow: summary(bareLow),
          engineBatch: summary(engineBatch),
          bareBatch: summary(bareBatch),
          engineCpu,
          bareCpu,
          engineCpuPerSend,
          bareCpuPerSend,
        },
      },
    };
  } finally {
    await bare.stop();
    await bench.stop();
  }
}
