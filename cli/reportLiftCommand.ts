import { writeFileSync } from 'node:fs';
import { liftStats } from '../measure/lift';
import { liftChartSvg } from '../measure/liftChart';
import { collections } from '../store/collections';
import { liftData, type LiftQuery } from '../store/liftData';
import { playbookCollections } from '../store/playbookVersions';
import { UsageError, type CliCommand } from './command';
import { formatLift, NOT_RECORDED } from './liftFormat';
import { withMongoDb } from './withMongoDb';

interface ReportOptions extends LiftQuery {
  chart?: string;
  json: boolean;
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
  return date;
}

function parseOptions(args: readonly string[]): ReportOptions {
  const options: ReportOptions = { json: false };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--json') {
      options.json = true;
      continue;
    }
    if (!['--playbook', '--from', '--to', '--chart'].includes(arg ?? ''))
      throw new UsageError(arg?.startsWith('-') ? `unknown option ${arg}` : `unexpected argument "${arg}"`);
    const value = args[i + 1];
    i += 1;
    if (value === undefined || value === '') throw new UsageError(`${arg} needs a value`);
    if (arg === '--playbook') options.playbookId = value;
    else if (arg === '--chart') options.chart = value;
    else if (arg === '--from') options.from = parseTime(arg, value);
    else options.to = parseTime('--to', value);
  }
  if (options.from && options.to && options.from >= options.to)
    throw new UsageError('--from must be before --to');
  return options;
}

/**
 * `journeys report lift`: per playbook, treatment against holdout — conversions by the playbook's
 * success metric, revenue, unsubscribes, and the lift with its 95% interval, p-value and verdict.
 * Needs only MONGODB_URI. No entries in the range is an answer, printed as such, exit 0.
 */
export const reportLiftCommand: CliCommand = {
  words: ['report', 'lift'],
  args: '[--playbook <id>] [--from <iso>] [--to <iso>] [--chart <file.svg>] [--json]',
  summary: 'incremental lift of each playbook against its holdout, with 95% intervals',
  async run(args, io) {
    const options = parseOptions(args);
    return withMongoDb(io, async (db) => {
      const { entries, events } = collections(db);
      const data = await liftData({ entries, events, playbooks: playbookCollections(db) }, options);
      const reports = data.map((playbook) => ({
        playbook,
        stats: liftStats(playbook.arms.treatment, playbook.arms.control),
      }));
      if (options.json) {
        io.out(
          JSON.stringify(
            reports.map(({ playbook, stats }) => ({
              ...playbook,
              ...stats,
              discountCost: NOT_RECORDED,
              marginAfterDiscount: NOT_RECORDED,
              partnerRevenue: NOT_RECORDED,
            })),
            null,
            2,
          ),
        );
      } else if (reports.length === 0) io.out('no entries in the range: nothing to measure');
      else io.out(reports.map(({ playbook, stats }) => formatLift(playbook, stats).join('\n')).join('\n\n'));
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
