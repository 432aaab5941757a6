/**
 * `npm run bench [-- --quick] [-- --only <section>]`: the engine benchmarks, one after another in
 * this process (never two loads at once), on this machine. Prints the machine and server versions,
 * then one table (figure, measured, target, met or missed), and writes the same to
 * tools/bench/results.json (a quick run: results.quick.json; an --only run merges its section into
 * results.json, recording its own date, machine and commit; memory alone: results.memory.json). Sections: latency (event to action at 10/s and the step-up to the highest
 * sustained rate), sustained (10 minutes, memory per cached workflow, worker restart), bare
 * (engine ÷ a minimal workflow), cron (engine ÷ a naive cron, bench/cron/), decisions (offers,
 * reserve, simulator); ingest (publishing on top of stored backlogs, only with --only ingest). `--quick` shortens every load for a run of a few minutes.
 */
import { runBareComparison } from './bareComparison';
import { runCronSection } from './cronSection';
import { runDecisions } from './decisions';
import { runEventToAction, LOW_RATE } from './eventToAction';
import { startBenchStack, type BenchStack } from './harness/benchStack';
import { runEngineLoad } from './harness/engineLoad';
import { formatMachine, machineInfo, type MachineInfo } from './harness/machine';
import { benchHoldPlaybook, benchPlaybook } from './harness/playbooks';
import { runIngest } from './ingest';
import { runMemory } from './memory';
import {
  formatTable,
  mergeResults,
  RESULTS_FILE,
  writeResults,
  type Figure,
  type SectionResult,
} from './report';
import { judge, runStepDown, runStepUp } from './stepUp';
import { machineContention, type Contention } from './harness/procStats';
import { runSustained } from './sustained';
import { exitOnInterrupt } from '../devstack/reapOnExit';

/**
 * `memory` runs only when asked for (--only memory): the full run measures memory after its loads.
 * `ingest` too (--only ingest): seeding a million stored events is a run of its own.
 */
const SECTIONS = ['latency', 'sustained', 'bare', 'cron', 'decisions', 'memory', 'ingest'] as const;
type Section = (typeof SECTIONS)[number];

interface Plan {
  lowRateMs: number;
  /** Rates after the 10/s step (which is the event-to-action run itself). */
  stepRates: number[];
  /** Rates tried, in turn, when 10/s is not sustained, down to the first that is. */
  stepDownRates: number[];
  stepMs: number;
  sustainedMs: number;
  memoryTargets: number[];
  topUpBudgetMs: number;
  /** The fill's budget when memory runs alone (--only memory). */
  memoryOnlyBudgetMs: number;
  bareLowRateMs: number;
  bareBatch: number;
}

/**
 * The full run's budget, ≤ 20 minutes on a quiet 2-core machine: stacks and warm-up ~1 min, 10/s
 * 40 s, step-up or step-down ≤ 4 × 20 s, sustained 10 min, memory top-up ≤ 1 min, bare ~2 min,
 * cron ~2.5 min (bench/cron's own), decisions ~1 min. The quick one: a few minutes.
 */
const PLANS: Record<'full' | 'quick', Plan> = {
  full: {
    lowRateMs: 40_000,
    stepRates: [20, 30, 40, 60, 80],
    stepDownRates: [8, 6, 5, 4],
    stepMs: 20_000,
    sustainedMs: 600_000,
    memoryTargets: [5000, 20_000],
    topUpBudgetMs: 60_000,
    memoryOnlyBudgetMs: 17 * 60_000,
    bareLowRateMs: 20_000,
    bareBatch: 300,
  },
  quick: {
    lowRateMs: 20_000,
    stepRates: [20, 40],
    stepDownRates: [6, 4],
    stepMs: 15_000,
    sustainedMs: 60_000,
    memoryTargets: [1000, 5000],
    topUpBudgetMs: 45_000,
    memoryOnlyBudgetMs: 2 * 60_000,
    bareLowRateMs: 15_000,
    bareBatch: 150,
  },
};

function parseArgs(argv: readonly string[]): {
  quick: boolean;
  only: Section | undefined;
  rate: number | undefined;
} {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--only');
  const only = at >= 0 ? argv[at + 1] : undefined;
  if (only !== undefined && !SECTIONS.includes(only as Section))
    throw new Error(`--only: expected one of ${SECTIONS.join(', ')}, got "${only}"`);
  const rateAt = argv.indexOf('--rate');
  const rate = rateAt >= 0 ? Number(argv[rateAt + 1]) : undefined;
  return { quick, only: only as Section | undefined, rate };
}

function ingestArgs(argv: readonly string[]): {
  levels: number[];
  budgetMs: number;
  concurrency: number;
  batchSize: number;
  batchLanes: number;
} {
  const value = (name: string, fallback: string) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? (argv[at + 1] ?? fallback) : fallback;
  };
  return {
    levels: value('levels', '10000,100000,1000000').split(',').map(Number),
    budgetMs: Number(value('ingest-seconds', '30')) * 1000,
    concurrency: Number(value('ingest-concurrency', '16')),
    batchSize: Number(value('ingest-batch', '200')),
    batchLanes: Number(value('ingest-batch-lanes', '4')),
  };
}

const log = (text: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`);

/** CPU pressure above this share means other processes competed for the cores during the run. */
const BUSY_PRESSURE_PERCENT = 10;

function describeContention(readings: Record<string, Contention>): string {
  const lines = Object.entries(readings).map(
    ([at, c]) =>
      `  after ${at}: load average ${c.loadAverage.toFixed(1)}, CPU pressure ${c.cpuPressurePercent ?? '?'}% (60 s)`,
  );
  const busiest = Math.max(...Object.values(readings).map((c) => c.cpuPressurePercent ?? 0));
  const verdict =
    busiest > BUSY_PRESSURE_PERCENT
      ? `the machine was busy (CPU pressure up to ${busiest}%): runnable tasks waited for a core, so latencies and rates include other processes' load; rerun on a quiet machine for figures of record`
      : 'the machine was quiet throughout (CPU pressure ≤ 10%)';
  return ['machine contention:', ...lines, `  ${verdict}`].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const plan = PLANS[args.quick ? 'quick' : 'full'];
  const wanted = (section: Section) => args.only === undefined || args.only === section;
  const startedAt = new Date();
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  const contention: Record<string, Contention> = { start: machineContention() };
  const add = (result: SectionResult) => {
    figures.push(...result.figures);
    Object.assign(details, result.details);
    const section = result.figures[0]?.section;
    if (section !== undefined) contention[section] = machineContention();
  };
  let machine: MachineInfo | undefined;

  if (wanted('latency') || wanted('sustained')) {
    log('starting the engine stack (file-backed Temporal dev server, FerretDB, sinks, worker)…');
    const bench: BenchStack = await startBenchStack({
      playbooks: [benchPlaybook, benchHoldPlaybook],
      workerEnv: { WORKER_MAX_CACHED_WORKFLOWS: '25000', WORKER_STATUS_INTERVAL_MS: '2000' },
    });
    try {
      machine = await machineInfo(bench.stack.mongodbUri);
      console.log(formatMachine(machine));
      let sustainedRate = args.rate;
      // The first runs after a start pay for cold caches (workflow sandbox, connection pools, JIT):
      // a short warm-up, not reported, so the figures are the engine's steady state.
      log('warm-up: 50 events at 5/s (not reported)…');
      await runEngineLoad(bench, { prefix: 'warmup', rate: 5, count: 50, settleTimeoutMs: 60_000 });
      if (wanted('latency')) {
        log(`event to action at ${LOW_RATE}/s for ${plan.lowRateMs / 1000} s…`);
        const low = await runEventToAction(bench, { durationMs: plan.lowRateMs });
        add(low);
        const first = judge(low.result);
        log(
          `${LOW_RATE}/s ${first.sustained ? 'sustained: stepping up' : 'NOT sustained: stepping down'} (${first.why})`,
        );
        const stepOptions = { stepMs: plan.stepMs, settleTimeoutMs: 60_000 };
        const up = first.sustained
          ? await runStepUp(bench, { rates: plan.stepRates, ...stepOptions })
          : undefined;
        if (up) add({ ...up, figures: up.figures.filter((f) => f.name !== 'rate') });
        const down = first.sustained
          ? undefined
          : await runStepDown(bench, { rates: plan.stepDownRates, ...stepOptions });
        const best = up ? (up.sustainedRate ?? LOW_RATE) : down?.sustainedRate;
        const steps = [...(up?.steps ?? []), ...(down?.steps ?? [])];
        const bestStep = steps.find((step) => step.rate === best && step.sustained);
        const stepsNote = `steps of ${plan.stepMs / 1000} s after ${LOW_RATE}/s: ${
          steps.map((step) => `${step.rate}/s ${step.sustained ? 'sustained' : 'not'}`).join(', ') || 'none'
        }`;
        const section = 'highest sustained rate';
        figures.push({
          section,
          name: 'rate',
          measured: best,
          unit: 'events/s',
          note: first.sustained
            ? `${LOW_RATE}/s sustained, then ${stepsNote}`
            : `${LOW_RATE}/s was not sustained (${first.why}); ${stepsNote}`,
        });
        if (down) {
          // The step-down's latency at the rate it found; the step-up adds its own rows above.
          const latency = bestStep?.figures.latencyMs;
          for (const p of ['p50', 'p95', 'p99'] as const) {
            figures.push({ section, name: `${p} at that rate`, measured: latency?.[p], unit: 'ms' });
          }
          details.stepDown = down.steps;
        }
        // Nothing sustained at all: hold the rate the engine got through (delivered ÷ first
        // publish to last message), so the long run measures capacity rather than a growing backlog.
        sustainedRate ??= best ?? Math.max(1, Math.floor(low.result.throughputPerSecond));
      }
      if (wanted('sustained')) {
        const rate = sustainedRate ?? 20;
        log(`sustained: ${rate}/s for ${plan.sustainedMs / 1000} s…`);
        add(await runSustained(bench, { rate, durationMs: plan.sustainedMs, sampleEveryMs: 5000 }));
        log('memory per cached workflow and worker restart…');
        add(
          await runMemory(bench, {
            targets: plan.memoryTargets,
            topUpBudgetMs: plan.topUpBudgetMs,
            catchUpMs: args.quick ? 30_000 : 45_000,
          }),
        );
      }
    } finally {
      await bench.stop();
    }
  }
  if (args.only === 'memory') {
    // The worker memory figures on their own: a fresh stack filled with held runs until the largest
    // target is cached. The full run cannot fit 20,000 in its 20 minutes after its other loads.
    log('memory per cached workflow on a fresh stack, filled with held runs…');
    const bench = await startBenchStack({
      playbooks: [benchPlaybook, benchHoldPlaybook],
      workerEnv: { WORKER_MAX_CACHED_WORKFLOWS: '25000', WORKER_STATUS_INTERVAL_MS: '2000' },
    });
    try {
      machine = await machineInfo(bench.stack.mongodbUri);
      add(
        await runMemory(bench, {
          targets: plan.memoryTargets,
          topUpBudgetMs: plan.memoryOnlyBudgetMs,
          catchUpMs: 60_000,
        }),
      );
    } finally {
      await bench.stop();
    }
  }
  if (args.only === 'ingest') {
    log('ingest: publishing the demo mix on top of stored backlogs, and bare signalWithStart…');
    add(await runIngest({ ...ingestArgs(process.argv.slice(2)), log: (text) => log(text) }));
  }
  if (wanted('bare')) {
    log('engine ÷ bare workflow on a fresh stack…');
    add(await runBareComparison({ lowRateMs: plan.bareLowRateMs, batch: plan.bareBatch }));
  }
  if (wanted('cron')) {
    log('engine vs naive cron (bench/cron)…');
    add(await runCronSection({ quick: args.quick, seed: 42 }));
  }
  if (wanted('decisions')) {
    log('decisions: offers, contact-slot reserve, simulator…');
    add(await runDecisions({ quick: args.quick }));
  }
  if (machine === undefined) {
    // No engine stack ran: read the versions from a short-lived one.
    const bench = await startBenchStack({ playbooks: [benchPlaybook] });
    try {
      machine = await machineInfo(bench.stack.mongodbUri);
    } finally {
      await bench.stop();
    }
  }
  const durationS = Math.round((Date.now() - startedAt.getTime()) / 1000);
  const mode = args.quick ? ('quick' as const) : ('full' as const);
  const only = args.only === undefined ? '' : `, only ${args.only}`;
  console.log(`\n${formatMachine(machine)}\nmode: ${mode}${only}, ${durationS} s\n`);
  console.log(formatTable(figures));
  console.log(`\n${describeContention(contention)}`);
  details.contention = contention;
  const run = {
    mode,
    ...(args.only === undefined ? {} : { only: args.only }),
    startedAt: startedAt.toISOString(),
    durationS,
    machine,
  };
  const file = resultsFile(args);
  if (file === RESULTS_FILE && args.only !== undefined) {
    mergeResults(file, { ...run, only: args.only }, figures, details);
    console.log(`\nmerged the ${args.only} section into ${file}`);
  } else {
    writeResults(file, run, figures, details);
    console.log(`\nwrote ${file}`);
  }
}

/**
 * A full run of every section is the result of record, and a section run alone (`--only`) is merged
 * into it: ingest runs only that way. The memory section alone is the record for 20,000 cached
 * workflows, which the full run's budget does not reach on 2 cores, so it keeps its own file beside
 * the full run's memory figures; a quick run goes beside them and is not kept.
 */
function resultsFile(args: { quick: boolean; only: Section | undefined }): string {
  if (args.quick) return RESULTS_FILE.replace(/\.json$/, '.quick.json');
  if (args.only === 'memory') return RESULTS_FILE.replace(/\.json$/, '.memory.json');
  return RESULTS_FILE;
}

// Ctrl-C or a SIGTERM stops the servers this run started (tools/devstack/reapOnExit).
exitOnInterrupt();
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
