import { journeyId } from '../../engine/interpreter/entry';
import type { BenchStack } from './harness/benchStack';
import { runEngineLoad, type DeliveryFigures } from './harness/engineLoad';
import { latencyBreakdown, spacedSample, type LatencyBreakdown } from './harness/latencyBreakdown';
import { BENCH_PLAYBOOK_ID } from './harness/playbooks';
import { availableParallelism } from 'node:os';
import { CpuMeter, cpuCeiling, cpuPerUnit, describePerUnit, sampleProc } from './harness/procStats';
import { latestWorkerStatus, type WorkerStatus } from './harness/workerStatus';
import { summary } from './eventToAction';
import { atLeast, type SectionResult } from './report';

export interface TimelineSample {
  atS: number;
  worker?: WorkerStatus;
  rssBytes: Partial<Record<'worker' | 'temporal' | 'ferretdb', number>>;
}

/** Which processes CPU went to during a load, as a share of one core each: the saturated one is the limit. */
export function cpuPids(bench: BenchStack) {
  return () => ({ ...bench.pids(), worker: bench.worker().child.pid, bench: process.pid });
}

export function describeCpu(cpu: Partial<Record<string, { coreShare: number }>>): string {
  return Object.entries(cpu)
    .map(([name, use]) => `${name} ${Math.round((use?.coreShare ?? 0) * 100)}%`)
    .join(', ');
}

export function describeBreakdown(b: LatencyBreakdown): string {
  const activities = Object.entries(b.activityRunMs)
    .map(([type, ms]) => `${type} ${ms}`)
    .join(', ');
  return (
    `${b.roundTrips} server round trips, ${b.totalMs} ms start→send over ${b.runs} runs: ` +
    `Temporal queueing ${b.workflowTaskQueueMs + b.activityQueueMs} ms (workflow tasks ${b.workflowTaskQueueMs}, activities ${b.activityQueueMs}), ` +
    `workflow tasks running ${b.workflowTaskRunMs} ms (workflow code and ${b.localActivities} local activities), activities ${activities || 'none'} ms`
  );
}

/**
 * Journeys per second held for a long stretch on the file-backed dev server, at (or just below)
 * the highest sustained rate, with the worker's status line and each server's memory sampled
 * along the way, and CPU per process over the window.
 */
export async function runSustained(
  bench: BenchStack,
  options: { rate: number; durationMs: number; sampleEveryMs: number },
): Promise<SectionResult & { result: DeliveryFigures; timeline: TimelineSample[] }> {
  const timeline: TimelineSample[] = [];
  const startedAt = Date.now();
  const sample = (): void => {
    const pids = bench.pids();
    const rss = (pid: number | undefined) => (pid === undefined ? undefined : sampleProc(pid)?.rssBytes);
    const worker = latestWorkerStatus(bench.worker().output());
    timeline.push({
      atS: Math.round((Date.now() - startedAt) / 1000),
      ...(worker && { worker }),
      rssBytes: {
        worker: rss(bench.worker().child.pid),
        temporal: rss(pids.temporal),
        ferretdb: rss(pids.ferretdb),
      },
    });
  };
  const sampler = setInterval(sample, options.sampleEveryMs);
  const meter = new CpuMeter(cpuPids(bench));
  meter.start();
  let result: DeliveryFigures;
  try {
    result = await runEngineLoad(bench, {
      prefix: 'sustained',
      rate: options.rate,
      durationMs: options.durationMs,
      settleTimeoutMs: 120_000,
    });
  } finally {
    clearInterval(sampler);
  }
  const cpu = meter.stop();
  sample();
  const sampled = spacedSample(
    result.load.events.flatMap((e) => (e.id === undefined ? [] : [journeyId(BENCH_PLAYBOOK_ID, e.id)])),
    20,
  );
  const breakdown = await latencyBreakdown(bench.client.temporal, sampled);
  const perJourney = cpuPerUnit(cpu, result.delivered);
  const ceiling = cpuCeiling(perJourney, availableParallelism());
  const section = 'sustained throughput';
  const minutes = options.durationMs / 60_000;
  return {
    result,
    timeline,
    figures: [
      {
        section,
        name: `journeys/s over ${minutes} min (offered ${options.rate}/s)`,
        measured: result.sendsPerSecond,
        unit: 'journeys/s',
        target: '≥ 40/s',
        met: atLeast(result.sendsPerSecond, 40),
        note: `CPU ${describeCpu(cpu)}; ${describeBreakdown(breakdown)}`,
      },
      {
        section,
        name: `CPU-bound ceiling on ${availableParallelism()} cores`,
        measured: ceiling,
        unit: 'journeys/s',
        note: `CPU ms per journey: ${describePerUnit(perJourney)} (bench = this process: client and sinks)`,
      },
      { section, name: 'backlog at the end', measured: result.backlogAtEnd, unit: 'events' },
      { section, name: 'p50', measured: result.latencyMs.p50, unit: 'ms' },
      { section, name: 'p95', measured: result.latencyMs.p95, unit: 'ms' },
      {
        section,
        name: 'p99',
        measured: result.latencyMs.p99,
        unit: 'ms',
        note: `first third p50 ${result.firstThirdP50} ms, last third ${result.lastThirdP50} ms; ${result.delivered}/${result.events} delivered, ${result.duplicates} duplicates`,
      },
    ],
    details: {
      sustained: { ...summary(result), cpu, cpuMsPerJourney: perJourney, ceiling, breakdown, timeline },
    },
  };
}
