import type { SideRun } from './measureSide';
import type { ComparisonSettings } from './settings';

/** Both sides of one comparison with their details (per-process CPU, kill moments): what the table shows. */
export interface CronComparisonRun {
  settings: ComparisonSettings;
  seed: number;
  engine: SideRun;
  cron: SideRun;
  /** Each side's wall time, stack start and stop included. */
  wallMs: { engine: number; cron: number };
}

const pad = (text: string, width: number): string => text.padStart(width);

function row(label: string, engine: string, cron: string): string {
  return `${label.padEnd(38)}${pad(engine, 14)}${pad(cron, 14)}`;
}

function cpuBreakdown(run: SideRun): string {
  const events = run.side.events;
  return Object.entries(run.cpuMsByProcess)
    .map(([name, ms]) => `${name} ${(ms / events).toFixed(1)}`)
    .join(', ');
}

function killMoments(run: SideRun): string {
  return run.kills
    .map((kill) => {
      const resent = kill.acceptedKey !== undefined && run.duplicateKeys.includes(kill.acceptedKey);
      const aimed = kill.aimed ? ` (aimed: its accepted mail ${resent ? 'was' : 'was not'} sent again)` : '';
      return `${(kill.atMs / 1000).toFixed(1)} s${aimed}, back in ${kill.restartMs} ms`;
    })
    .join('; ');
}

/** The two sides next to each other, then what each figure is made of. */
export function formatComparison(run: CronComparisonRun): string {
  const { engine, cron, settings } = run;
  const lines = [
    `Engine ÷ naive cron (seed ${run.seed}): ${settings.ratePerSecond} events/s, ` +
      `${settings.latencyLoadMs / 1000} s clean load, then ${settings.killLoadMs / 1000} s with ${settings.kills} SIGKILLs`,
    row('', 'engine', 'naive cron'),
    row('events (clean load)', String(engine.side.events), String(cron.side.events)),
    row('latency p50 ms', String(engine.side.latencyMs.p50), String(cron.side.latencyMs.p50)),
    row('latency p95 ms', String(engine.side.latencyMs.p95), String(cron.side.latencyMs.p95)),
    row('latency p99 ms', String(engine.side.latencyMs.p99), String(cron.side.latencyMs.p99)),
    row(
      'CPU ms per event (all processes)',
      engine.side.cpuMsPerEvent.toFixed(1),
      cron.side.cpuMsPerEvent.toFixed(1),
    ),
    row('events under kill', String(engine.side.underKill.events), String(cron.side.underKill.events)),
    row('kills', String(engine.side.underKill.kills), String(cron.side.underKill.kills)),
    row('lost', String(engine.side.underKill.lost), String(cron.side.underKill.lost)),
    row('duplicates', String(engine.side.underKill.duplicates), String(cron.side.underKill.duplicates)),
    row(
      '  of which under the same Message-ID',
      String(engine.duplicatesUnderSameMessageId),
      String(cron.duplicatesUnderSameMessageId),
    ),
    row(
      'possible duplicates it has on record',
      String(engine.recordedResends ?? 'no record'),
      String(cron.recordedResends ?? 'no record'),
    ),
    row(
      'settled after the kill load, s',
      (engine.killSettleMs / 1000).toFixed(1),
      (cron.killSettleMs / 1000).toFixed(1),
    ),
    row('failed publishes/inserts', String(engine.loadErrors), String(cron.loadErrors)),
    row(
      'wall time, stack start to stop, s',
      (run.wallMs.engine / 1000).toFixed(0),
      (run.wallMs.cron / 1000).toFixed(0),
    ),
    '',
    `CPU ms per event by process: engine: ${cpuBreakdown(engine)}; cron: ${cpuBreakdown(cron)}`,
    `of which idle: with no load the engine's processes use ${engine.idleCpuMsPerSecond.toFixed(0)} ms/s, ` +
      `the cron's ${cron.idleCpuMsPerSecond.toFixed(0)} ms/s; clean-load windows ${(engine.cleanWindowMs / 1000).toFixed(1)} s ` +
      `and ${(cron.cleanWindowMs / 1000).toFixed(1)} s`,
    ...[engine, cron].flatMap((side, i) =>
      side.cleanUndelivered.length === 0
        ? []
        : [
            `WARNING: ${i === 0 ? 'engine' : 'cron'}: ${side.cleanUndelivered.length} clean-load events had no mail ` +
              `after ${(side.cleanWindowMs / 1000).toFixed(0)} s; latency and CPU cover the rest. ` +
              side.cleanUndelivered.join('; '),
          ],
    ),
    ...[engine, cron].flatMap((side, i) =>
      side.lostUnderKill.length === 0
        ? []
        : [`${i === 0 ? 'engine' : 'cron'}: lost under the kills: ${side.lostUnderKill.join('; ')}`],
    ),
    `engine kills: ${killMoments(engine)}`,
    `cron kills: ${killMoments(cron)}`,
    'Latency: SMTP sink receivedAt − publish (engine) or insert (cron) start; CPU: until the last mail arrived.',
    "The aimed kill: from the sink's accept hook, once the next mail is stored and before the sink answers,",
    'the worker or cron is SIGKILLed: the provider has the mail, its sender never learns it.',
  ];
  return lines.join('\n');
}
