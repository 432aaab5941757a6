import { writeFileSync } from 'node:fs';
import type { CostModel } from '../engine/offers/basket';
import { economicsNa, economicsStats } from '../engine/measurement/economicsStats';
import { liftStats } from '../engine/measurement/lift';
import { liftChartSvg } from '../engine/measurement/liftChart';
import { InvalidPolicyError, loadPolicy } from '../schemas/policy/load';
import { loadContentFiles } from '../schemas/env';
import { settingsOrReport } from './settings';
import { collections } from '../store/collections';
import { liftData, type LiftQuery } from '../store/liftData';
import { rebuildLift } from '../store/liftRebuild';
import { playbookCollections } from '../store/playbookVersions';
import { UsageError, type CliCommand, type CliIo } from './command';
import { parseOptions } from './options';
import { formatLift } from './liftFormat';
import { withMongoDb } from './withMongoDb';

interface ReportOptions extends LiftQuery {
  chart?: string;
  json: boolean;
  rebuild: boolean;
}

/** An ISO date (`2026-11-01`) or date-time with offset; anything else is a usage error, not NaN. */
function parseTime(option: string, value: string): Date {
  const date = new Date(value);
  if (
    !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) ||
    Number.isNaN(date.getTime())
  )
    throw new UsageError(
      `${option}: "${value}" is not an ISO date such as 2026-11-01 or 2026-11-01T00:00:00Z`,
    );
  // The report adds up entries by UTC day (store/liftCells.ts): a bound inside a day cannot be met.
  if (date.getTime() % 86_400_000 !== 0)
    throw new UsageError(
      `${option}: "${value}" is not the start of a UTC day; the lift report counts entries by UTC day, so give a date such as 2026-11-01`,
    );
  return date;
}

function parseReportOptions(args: readonly string[]): ReportOptions {
  const { values } = parseOptions(args, {
    playbook: 'string',
    from: 'string',
    to: 'string',
    chart: 'string',
    json: 'boolean',
    rebuild: 'boolean',
  });
  const options: ReportOptions = { json: values.json === true, rebuild: values.rebuild === true };
  if (values.playbook !== undefined) options.playbookId = values.playbook;
  if (values.chart !== undefined) options.chart = values.chart;
  if (values.from !== undefined) options.from = parseTime('--from', values.from);
  if (values.to !== undefined) options.to = parseTime('--to', values.to);
  if (options.from && options.to && options.from >= options.to)
    throw new UsageError('--from must be before --to');
  return options;
}

/**
 * The workspace policy's cost ratios, from POLICY_FILE as the worker reads it (unset or empty: the
 * shipped policy/workspace.yaml). Read here rather than through loadConfig, which would demand the
 * SMTP and Twilio settings a read-only report has no use for.
 */
function costModel(io: CliIo, env: NodeJS.ProcessEnv = process.env): CostModel | undefined {
  const file = settingsOrReport(io, () => loadContentFiles(env, (line) => io.err(line)))?.policyFile;
  if (file === undefined) return undefined;
  try {
    return loadPolicy(file).offers;
  } catch (error) {
    if (!(error instanceof InvalidPolicyError)) throw error;
    io.err(error.message);
    io.err('nothing reported: margins need the cost ratios of a valid workspace policy (POLICY_FILE)');
    return undefined;
  }
}

/**
 * `journeys report lift`: per playbook, treatment against holdout — conversions by the playbook's
 * success metric, revenue, unsubscribes, and the lift with its 95% interval, p-value and verdict;
 * then what the offers cost and earned: discounts, margin after them, partner revenue. Read from
 * the lift rollup the router keeps; `--rebuild` first rebuilds it from the entries and the inbox
 * (store/liftRebuild.ts), valuing margins at POLICY_FILE's cost ratios. Needs only MONGODB_URI
 * (and POLICY_FILE for cost ratios other than the shipped ones). No entries in the range is an
 * answer, printed as such, exit 0; a bad policy file exits 1.
 */
export const reportLiftCommand: CliCommand = {
  words: ['report', 'lift'],
  args: '[--playbook <id>] [--from <date>] [--to <date>] [--chart <file.svg>] [--json] [--rebuild]',
  summary: 'incremental lift of each playbook against its holdout, with 95% intervals',
  async run(args, io) {
    const options = parseReportOptions(args);
    const costs = costModel(io);
    if (costs === undefined) return 1;
    return withMongoDb(io, async (db) => {
      const stored = { ...collections(db), playbooks: playbookCollections(db) };
      if (options.rebuild) {
        const counted = await rebuildLift(stored, costs, (line) => io.err(line));
        io.err(`rebuilt the lift rollup from ${counted.toLocaleString('en-US')} entries`);
      }
      const data = await liftData(stored, options);
      const reports = data.map((playbook) => ({
        playbook,
        stats: liftStats(playbook.arms.treatment, playbook.arms.control),
        economics:
          'success' in playbook
            ? economicsStats(playbook.arms.treatment, playbook.arms.control)
            : economicsNa(playbook.na),
      }));
      if (options.json) {
        io.out(
          JSON.stringify(
            reports.map(({ playbook, stats, economics }) => ({ ...playbook, ...stats, ...economics })),
            null,
            2,
          ),
        );
      } else if (reports.length === 0) io.out('no entries in the range: nothing to measure');
      else
        io.out(
          reports
            .map(({ playbook, stats, economics }) => formatLift(playbook, stats, economics).join('\n'))
            .join('\n\n'),
        );
      if (options.chart !== undefined) {
        writeFileSync(
          options.chart,
          liftChartSvg(
            reports.map(({ playbook, stats }) => ({
              label: playbook.playbookId,
              lift: stats.conversionLift,
              verdict: stats.verdict,
            })),
          ),
        );
        if (!options.json) io.out(`chart written to ${options.chart}`);
      }
      return 0;
    });
  },
};
