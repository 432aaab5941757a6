/**
 * Engine ÷ naive cron: the same open-loop load (one fresh customer per event) through the journey
 * engine and through a cron that polls MongoDB every second, mails, then marks (naiveCron.ts), one
 * after the other, each on a fresh stack. Per side (measureSide.ts): latency from publish or insert
 * to the SMTP sink's accept; CPU per event of every process involved until the last mail arrived;
 * then a second load during which the worker or the cron is SIGKILLed at seeded moments (the first
 * from the sink's accept hook, between the provider taking a mail and its sender hearing so),
 * restarted at once, and lost and duplicate mail counted at the sink once the system settled.
 * `npx tsx tools/bench/cron/compare.ts [--quick] [--seed N] [--rate events/s] [--json]`;
 * tools/bench/main.ts calls runCronComparison.
 */
import { runCronSide } from './cronSide';
import { runEngineSide } from './engineSide';
import { formatComparison, type CronComparisonRun } from './format';
import { comparisonSettings } from './settings';
import type { CronComparison } from './types';

/** Both sides with their details (per-process CPU, kill moments), for the CLI's table. */
export async function runCronComparisonWithDetails(options: {
  quick: boolean;
  seed: number;
  /** Events per second instead of the default, for exploring; tools/bench/main.ts keeps the default. */
  rate?: number;
}): Promise<CronComparisonRun> {
  const settings = {
    ...comparisonSettings(options.quick),
    ...(options.rate === undefined ? {} : { ratePerSecond: options.rate }),
  };
  // One after the other, never together: each side has the machine's two cores to itself.
  const engineStarted = Date.now();
  const engine = await runEngineSide(settings, options.seed);
  const cronStarted = Date.now();
  const cron = await runCronSide(settings, options.seed);
  const wallMs = { engine: cronStarted - engineStarted, cron: Date.now() - cronStarted };
  return { settings, seed: options.seed, engine, cron, wallMs };
}

export async function runCronComparison(options: { quick: boolean; seed: number }): Promise<CronComparison> {
  const run = await runCronComparisonWithDetails(options);
  // CronSide has no place for them, and a latency over the delivered events alone flatters.
  for (const [name, side] of [['engine', run.engine] as const, ['cron', run.cron] as const]) {
    if (side.cleanUndelivered.length > 0) {
      console.warn(`cron comparison, ${name}: no mail for ${side.cleanUndelivered.join('; ')}`);
    }
  }
  return { engine: run.engine.side, cron: run.cron.side };
}

function numberArg(argv: readonly string[], name: string, min: number): number | undefined {
  const at = argv.indexOf(`--${name}`);
  if (at < 0) return undefined;
  const value = Number(argv[at + 1]);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} takes a number from ${min} up`);
  return value;
}

if (require.main === module) {
  const started = Date.now();
  const rate = numberArg(process.argv, 'rate', 0.1);
  runCronComparisonWithDetails({
    quick: process.argv.includes('--quick'),
    seed: numberArg(process.argv, 'seed', 0) ?? 1,
    ...(rate === undefined ? {} : { rate }),
  }).then(
    (run) => {
      console.log(process.argv.includes('--json') ? JSON.stringify(run, null, 2) : formatComparison(run));
      console.log(`took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
