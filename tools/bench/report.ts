import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MachineInfo } from './harness/machine';

/** One line of the results table. `measured` is always a measurement of this run, never a constant. */
export interface Figure {
  section: string;
  name: string;
  measured: number | undefined;
  unit: string;
  /** The target, as text ("≤ 250 ms"), and whether the measured value meets it. */
  target?: string;
  met?: boolean;
  /** What the figure was measured under, or why it is missing. */
  note?: string;
}

export interface SectionResult {
  figures: Figure[];
  /** Everything else the section measured, for results.json (latency distributions, CPU per process…). */
  details: Record<string, unknown>;
}

export const atMost = (measured: number | undefined, limit: number): boolean | undefined =>
  measured === undefined || Number.isNaN(measured) ? undefined : measured <= limit;
export const atLeast = (measured: number | undefined, limit: number): boolean | undefined =>
  measured === undefined || Number.isNaN(measured) ? undefined : measured >= limit;

function shown(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.section,
    f.name,
    `${shown(f.measured)} ${f.unit}`.trim(),
    f.target ?? '',
    f.met === undefined ? (f.target ? 'n/a' : '') : f.met ? 'met' : 'MISSED',
  ]);
  const header = ['section', 'figure', 'measured', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const notes = figures.filter((f) => f.note).map((f) => `  ${f.section} / ${f.name}: ${f.note}`);
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', ...notes].join('\n');
}

export const RESULTS_FILE = resolve(__dirname, 'results.json');

export interface RunInfo {
  mode: 'full' | 'quick';
  only?: string;
  startedAt: string;
  durationS: number;
  machine: MachineInfo;
}

export function writeResults(
  file: string,
  run: RunInfo,
  figures: readonly Figure[],
  details: Record<string, unknown>,
): void {
  writeFileSync(file, `${JSON.stringify({ ...run, figures, details }, null, 2)}\n`);
}

interface ResultsFile extends Partial<RunInfo> {
  figures?: Figure[];
  details?: Record<string, unknown>;
  /** Sections measured by a run of their own (`--only`): that run's date, machine and commit. */
  sectionRuns?: Record<string, RunInfo & { contention?: unknown }>;
}

/**
 * Puts one section's run (`--only <section>`) into the results file: its figures replace that
 * section's, its details join the others, and `sectionRuns` records when, where and at which commit
 * it ran, since the file's own run header belongs to the full run. The other sections stay.
 */
export function mergeResults(
  file: string,
  run: RunInfo & { only: string },
  figures: readonly Figure[],
  details: Record<string, unknown>,
): void {
  const old = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ResultsFile) : {};
  const replaced = new Set(figures.map((figure) => figure.section));
  const { contention, ...measured } = details;
  const merged: ResultsFile = {
    ...old,
    figures: [...(old.figures ?? []).filter((figure) => !replaced.has(figure.section)), ...figures],
    details: { ...old.details, ...measured },
    sectionRuns: { ...old.sectionRuns, [run.only]: { ...run, contention } },
  };
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
}
