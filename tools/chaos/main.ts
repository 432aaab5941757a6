/**
 * `npm run chaos`: the fault scenarios, each on a fresh stack, checked against what the providers'
 * sinks received. `--scenario 3` (or `3,5`) runs some; `--seed 7` re-runs a seed; `--events 300`
 * changes the load's size; `--out file` writes the results elsewhere; `--keep` leaves the data
 * directories. Prints the table, writes tools/chaos/results.json, and exits non-zero when a scenario
 * lost an action, broke a cap or duplicated a message outside the ambiguous window.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { runScenario, type ScenarioResult } from './run';
import { SCENARIOS } from './scenarios';
import { writeWorkflowBundle } from './worker';
import { exitOnInterrupt } from '../devstack/reapOnExit';

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}

const DEFAULT_SEED = 1;
const RESULTS_FILE = resolve(argument('out') ?? resolve(__dirname, 'results.json'));

function failed(r: ScenarioResult): boolean {
  return r.lost > 0 || r.capViolations > 0 || r.duplicates > 0 || r.unattributed > 0 || !r.settled;
}

function table(results: readonly ScenarioResult[]): string {
  const header = [
    'scenario',
    'seed',
    'events',
    'lost',
    'duplicates',
    'ambiguous dup.',
    'cap violations',
    'duration',
    '',
  ];
  const rows = results.map((r) => [
    `${r.scenario} ${r.name}`,
    String(r.seed),
    String(r.events),
    String(r.lost),
    String(r.duplicates),
    String(r.ambiguousDuplicates),
    String(r.capViolations),
    `${(r.durationMs / 1000).toFixed(0)} s`,
    failed(r) ? 'FAIL' : 'ok',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function details(r: ScenarioResult): string[] {
  const lines: string[] = [];
  if (!r.settled) lines.push(`  did not settle in time: some runs or deliveries were still open`);
  if (r.unattributed > 0)
    lines.push(`  ${r.unattributed} messages without an idempotency key or a known recipient`);
  for (const l of r.lostActions.slice(0, 10)) {
    lines.push(
      `  lost: ${l.customerId} ${l.channel} expected ${l.expected}, got ${l.got} (events ${l.eventIds.slice(0, 3).join(', ')})`,
    );
  }
  for (const d of r.duplicateKeys.filter((k) => !k.ambiguous).slice(0, 10)) {
    lines.push(`  duplicate outside the ambiguous window: ${d.key} × ${d.copies}`);
  }
  for (const v of r.capViolationDetails.slice(0, 10)) {
    lines.push(
      `  cap violation: ${v.customerId} ${v.rule} in ${v.window}: ${v.count} > ${v.max} (${v.keys.join(', ')})`,
    );
  }
  for (const record of r.records) lines.push(`  delivery record: ${JSON.stringify(record)}`);
  return lines;
}

/** Formatted as the repository's prettier config wants, so `npm run check` passes with it present. */
async function writeResults(content: { seed: number; results: ScenarioResult[] }): Promise<void> {
  const options = (await resolveConfig(RESULTS_FILE)) ?? {};
  writeFileSync(RESULTS_FILE, await format(JSON.stringify(content), { ...options, parser: 'json' }));
}

async function main(): Promise<void> {
  const only = argument('scenario')?.split(',').map(Number);
  const seed = Number(argument('seed') ?? DEFAULT_SEED);
  const events = argument('events') === undefined ? undefined : Number(argument('events'));
  const scenarios = SCENARIOS.filter((s) => only === undefined || only.includes(s.id));
  if (scenarios.length === 0 || !Number.isInteger(seed)) {
    throw new Error(
      `usage: npm run chaos -- [--scenario 1,3] [--seed N] [--events N] [--out file] [--keep]; scenarios 1-${SCENARIOS.length}`,
    );
  }
  const rootDir = mkdtempSync(join(tmpdir(), 'journeys-chaos-'));
  const log = (line: string) => console.log(line);
  log(`chaos: ${scenarios.length} scenario(s), seed ${seed}, data in ${rootDir}`);
  const bundlePath = await writeWorkflowBundle(join(rootDir, 'workflow-bundle.js'));
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      log(`scenario ${scenario.id}: ${scenario.name}`);
      const result = await runScenario(scenario, seed, {
        rootDir,
        bundlePath,
        log,
        ...(events === undefined ? {} : { events }),
      });
      results.push(result);
      log(
        `  events ${result.events}, actions ${result.actions}/${result.expectedActions}, lost ${result.lost}, duplicates ${result.duplicates} (+${result.ambiguousDuplicates} ambiguous), cap violations ${result.capViolations}`,
      );
      for (const line of details(result)) log(line);
      // Written after each scenario, so an interrupted run still leaves what it measured.
      await writeResults({ seed, results });
    }
  } finally {
    if (!process.argv.includes('--keep')) rmSync(rootDir, { recursive: true, force: true });
  }
  log('');
  log(table(results));
  log(`\nwritten to ${RESULTS_FILE}`);
  const failures = results.filter(failed);
  for (const f of failures) log(`re-run: npm run chaos -- --scenario ${f.scenario} --seed ${f.seed}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

// Ctrl-C or a SIGTERM stops the servers this run started (tools/devstack/reapOnExit).
exitOnInterrupt();
main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  // A client's or driver's lingering timer must not hold a finished run open.
  .finally(() => process.exit());
