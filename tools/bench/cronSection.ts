import type { CronComparison, CronSide } from './cron/types';
import type { Figure, SectionResult } from './report';

function sideFigures(label: string, side: CronSide): Figure[] {
  const section = 'engine vs naive cron';
  const k = side.underKill;
  return [
    {
      section,
      name: `${label}: p50`,
      measured: side.latencyMs.p50,
      unit: 'ms (p50)',
      note: `${label}: p95 ${side.latencyMs.p95} ms, p99 ${side.latencyMs.p99} ms over ${side.events} events`,
    },
    { section, name: `${label}: CPU per event`, measured: side.cpuMsPerEvent, unit: 'ms' },
    {
      section,
      name: `${label}: lost under SIGKILL`,
      measured: k.lost,
      unit: `of ${k.events}`,
      note: `${label}: ${k.kills} kills, ${k.lost} lost, ${k.duplicates} duplicates`,
    },
    { section, name: `${label}: duplicates under SIGKILL`, measured: k.duplicates, unit: `of ${k.events}` },
  ];
}

/** The naive-cron comparison (bench/cron/, another helper's), as rows of the one table. */
export async function runCronSection(options: { quick: boolean; seed: number }): Promise<SectionResult> {
  const { runCronComparison } = await import('./cron/compare');
  const result: CronComparison = await runCronComparison(options);
  const section = 'engine vs naive cron';
  const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
  return {
    figures: [
      ...sideFigures('engine', result.engine),
      ...sideFigures('cron', result.cron),
      {
        section,
        name: 'engine ÷ cron p50',
        measured: ratio(result.engine.latencyMs.p50, result.cron.latencyMs.p50),
        unit: '×',
      },
      {
        section,
        name: 'engine ÷ cron CPU per event',
        measured: ratio(result.engine.cpuMsPerEvent, result.cron.cpuMsPerEvent),
        unit: '×',
      },
    ],
    details: { cron: result },
  };
}
