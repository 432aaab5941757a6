import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchStack } from './harness/benchStack';
import { benchCustomerId } from './harness/customers';
import { forEachConcurrently } from '../../router/pool';
import { benchCheckoutEvent, benchHoldPlaybook } from './harness/playbooks';
import { journeyId } from '../../engine/interpreter/entry';
import { startJourneyRun } from '../../router/startRun';
import { parseEvent } from '../../schemas/events/parse';
import { loadPolicy } from '../../schemas/policy/load';
import { latestWorkerStatus, workerStatuses, type WorkerStatus } from './harness/workerStatus';
import { atMost, type Figure, type SectionResult } from './report';

const MB = 1024 * 1024;

export interface MemoryPoint {
  target: number;
  cachedWorkflows: number;
  rssPerWorkflowBytes: number;
  heapPerWorkflowBytes: number;
}

/** Least-squares slope of y on x: bytes per cached workflow over every sample, not just two. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  return sxx > 0 ? sxy / sxx : Number.NaN;
}

/** The first status at or past each target, against the worker's first status (its empty cache). */
function pointsOf(statuses: readonly WorkerStatus[], targets: readonly number[]): MemoryPoint[] {
  const base = statuses[0];
  if (!base) return [];
  return targets.flatMap((target) => {
    const at = statuses.find((s) => s.cachedWorkflows >= target);
    if (!at) return [];
    const added = at.cachedWorkflows - base.cachedWorkflows;
    return [
      {
        target,
        cachedWorkflows: at.cachedWorkflows,
        rssPerWorkflowBytes: (at.rssBytes - base.rssBytes) / added,
        heapPerWorkflowBytes: (at.heapUsedBytes - base.heapUsedBytes) / added,
      },
    ];
  });
}

/** Runs started but not yet cached by the worker, at most: see fillCache. */
const FILL_LEAD = 400;
const FILL_BATCH = 100;
const FILL_IN_FLIGHT = 16;

/**
 * Starts one held run as JourneyClient.enter does (startJourneyRun, the same input) without the
 * client's routing: the event, profile and entry records it writes to MongoDB never reach the
 * worker's memory, and skipping them is what brings 20,000 runs within reach on 2 cores (in 15
 * minutes: 16,100 runs cached through publishEvent, 19,700 this way).
 */
function heldRunStarter(bench: BenchStack): (index: number) => Promise<void> {
  const playbook = benchHoldPlaybook;
  const policy = loadPolicy(bench.config.policyFile);
  const taskQueue = bench.config.temporal.taskQueue;
  return async (index) => {
    const customerId = benchCustomerId('hold', index);
    await startJourneyRun(bench.client.temporal, taskQueue, {
      workflowId: journeyId(playbook.id, customerId),
      playbook,
      customerId,
      arm: 'treatment',
      trigger: parseEvent(benchCheckoutEvent(customerId)),
      policy,
    });
  };
}

/**
 * Starts held runs until the worker caches `target` workflows, keeping at most FILL_LEAD runs
 * ahead of its cache. Starting them open-loop as fast as the client can starves the worker of
 * CPU: tried at 100/s, 20,200 entries were accepted in 7.5 minutes while the worker had cached 657.
 * Returns how many runs it started, and how many of those failed.
 */
async function fillCache(
  bench: BenchStack,
  options: { target: number; deadline: number; cached: () => number },
): Promise<{ published: number; errors: number }> {
  const { target, deadline, cached } = options;
  const start = heldRunStarter(bench);
  const base = cached();
  let published = 0;
  let errors = 0;
  while (Date.now() < deadline && cached() < target) {
    if (published - (cached() - base) > FILL_LEAD) {
      await sleep(250); // the status line moves every WORKER_STATUS_INTERVAL_MS
      continue;
    }
    const from = published;
    const batch = Math.min(FILL_BATCH, target - cached() + FILL_LEAD);
    await forEachConcurrently(
      Array.from({ length: batch }, (_, i) => from + i),
      FILL_IN_FLIGHT,
      // A failed start is counted, not fatal: the figure is per workflow actually cached.
      (index) => start(index).catch(() => void (errors += 1)),
    );
    published += batch;
  }
  return { published, errors };
}

/**
 * Worker memory per cached workflow, from the worker's own status line (WORKER_STATUS_INTERVAL_MS)
 * as open runs accumulate; the earlier loads' runs count, and runs of the hold playbook top up
 * whatever is missing to the largest target within the time budget. Then the worker restart time,
 * with the prebuilt bundle and, for contrast, bundling at start-up.
 */
export async function runMemory(
  bench: BenchStack,
  options: { targets: readonly number[]; topUpBudgetMs: number; catchUpMs: number },
): Promise<SectionResult> {
  const largest = Math.max(...options.targets);
  const cached = () => latestWorkerStatus(bench.worker().output())?.cachedWorkflows ?? 0;
  let toppedUp = 0;
  let fillErrors = 0;
  if (cached() < largest) {
    const deadline = Date.now() + options.topUpBudgetMs;
    const fill = await fillCache(bench, { target: largest, deadline, cached });
    toppedUp = fill.published;
    fillErrors = fill.errors;
    // The last entries' first tasks may still be running: let the worker catch up until the cache
    // stops growing (three status intervals alike) or reaches the largest target.
    const catchUpUntil = Date.now() + options.catchUpMs;
    let previous = -1;
    let still = 0;
    while (Date.now() < catchUpUntil && cached() < largest && still < 3) {
      await sleep(2000);
      const now = cached();
      still = now === previous ? still + 1 : 0;
      previous = now;
    }
  }
  const statuses = workerStatuses(bench.worker().output());
  const points = pointsOf(statuses, options.targets);
  const reached = statuses.at(-1)?.cachedWorkflows ?? 0;
  // GC makes any two readings noisy (heap can even shrink between them): the fitted slope over
  // every status line is the steadier per-workflow figure, given beside the two-point ones.
  const rssSlope = slope(statuses.map((s) => ({ x: s.cachedWorkflows, y: s.rssBytes })));
  const heapSlope = slope(statuses.map((s) => ({ x: s.cachedWorkflows, y: s.heapUsedBytes })));
  const prebuilt = await bench.restartWorker({ prebuilt: true });
  const unbundled = await bench.restartWorker({ prebuilt: false });
  const section = 'worker';
  const figures: Figure[] = [];
  for (const target of options.targets) {
    const point = points.find((p) => p.target === target);
    const note = point
      ? `at ${point.cachedWorkflows} cached; heap ${(point.heapPerWorkflowBytes / 1024).toFixed(1)} KiB per workflow`
      : `only ${reached} cached workflows reached (${toppedUp} top-up entries in the time budget, ${fillErrors} failed)`;
    figures.push({
      section,
      name: `RSS per cached workflow at ${target.toLocaleString('en')}`,
      measured: point ? point.rssPerWorkflowBytes / MB : undefined,
      unit: 'MB',
      target: '≤ 1 MB',
      met: atMost(point ? point.rssPerWorkflowBytes / MB : undefined, 1),
      note,
    });
    figures.push({
      section,
      name: `heap per cached workflow at ${target.toLocaleString('en')}`,
      measured: point ? point.heapPerWorkflowBytes / MB : undefined,
      unit: 'MB',
    });
  }
  const last = statuses.at(-1);
  const base = statuses[0];
  if (points.length < options.targets.length && last && base && last.cachedWorkflows > base.cachedWorkflows) {
    // Short of a target (a quick run, a slow machine): the slope at what was reached, said as such.
    const added = last.cachedWorkflows - base.cachedWorkflows;
    figures.push({
      section,
      name: `RSS per cached workflow at ${last.cachedWorkflows} (most reached)`,
      measured: (last.rssBytes - base.rssBytes) / added / MB,
      unit: 'MB',
      note: `heap ${((last.heapUsedBytes - base.heapUsedBytes) / added / 1024).toFixed(1)} KiB per workflow`,
    });
  }
  figures.push(
    {
      section,
      name: `RSS per cached workflow, fitted over 0–${reached}`,
      measured: rssSlope / MB,
      unit: 'MB',
      note: `least squares over ${statuses.length} status lines; heap ${(heapSlope / 1024).toFixed(1)} KiB per workflow`,
    },
    {
      section,
      name: 'restart (SIGKILL → polling), prebuilt bundle',
      measured: prebuilt.readyMs,
      unit: 'ms',
      note: `with ${reached} open runs; readiness polled every 50 ms`,
    },
    { section, name: 'restart, bundling at start-up', measured: unbundled.readyMs, unit: 'ms' },
  );
  return {
    figures,
    details: {
      memory: {
        points,
        rssSlope,
        heapSlope,
        toppedUp,
        fillErrors,
        reached,
        statuses: statuses.filter((_, i) => i % 5 === 0),
      },
      restart: { prebuiltMs: prebuilt.readyMs, unbundledMs: unbundled.readyMs },
    },
  };
}
