import { collections } from '../store/collections';
import { daysBetween, playbookCounts, type PlaybookCounts } from '../store/consoleCounts';
import { knownPlaybookIds, playbookCollections } from '../store/playbookVersions';
import { UsageError, type CliCommand } from './command';
import { parseOptions } from './options';
import { withMongoDb } from './withMongoDb';

/** Days shown when no period is given: the last week, today included. */
const DEFAULT_DAYS = 7;
/** Read by `_id`, one shard per day and writer: a period of years is a mistake, not a report. */
const MAX_DAYS = 366;

interface CountsOptions {
  playbookId?: string;
  from: Date;
  to: Date;
  json: boolean;
}

function parseDay(option: string, value: string): Date {
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()))
    throw new UsageError(`${option}: "${value}" is not a UTC day such as 2026-11-01`);
  return date;
}

function parseCountsOptions(args: readonly string[], now: Date): CountsOptions {
  const { values } = parseOptions(args, {
    playbook: 'string',
    from: 'string',
    to: 'string',
    json: 'boolean',
  });
  const to = values.to === undefined ? now : parseDay('--to', values.to);
  const from =
    values.from === undefined
      ? new Date(to.getTime() - (DEFAULT_DAYS - 1) * 86_400_000)
      : parseDay('--from', values.from);
  if (from > to) throw new UsageError('--from must not be after --to');
  if (daysBetween(from, to).length > MAX_DAYS) throw new UsageError(`a period is at most ${MAX_DAYS} days`);
  return {
    ...(values.playbook !== undefined && { playbookId: values.playbook }),
    from,
    to,
    json: values.json === true,
  };
}

const listed = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ') || '-';

function formatCounts(counts: PlaybookCounts): string[] {
  const lines = [`${counts.playbookId}: ${counts.entered} entered; ended: ${listed(counts.ended)}`];
  for (const { step, at, passed } of counts.steps) lines.push(`  step ${step}: ${at} at, ${passed} passed`);
  for (const day of counts.days)
    lines.push(
      `  ${day.day}  sent: ${listed(day.sends)}; suppressed: ${listed(day.suppressions)}; held out: ${listed(day.holdouts)}; deferred: ${listed(day.defers)}`,
    );
  return lines;
}

/**
 * `journeys report counts`: per playbook, how many runs are at each step and passed it, and the
 * sends and suppressions of each day. Counts kept as the runs decide (store/consoleCounts.ts), so
 * it answers in point reads whatever the store holds. Needs only MONGODB_URI.
 */
export const reportCountsCommand: CliCommand = {
  words: ['report', 'counts'],
  args: '[--playbook <id>] [--from <day>] [--to <day>] [--json]',
  summary: `runs per step, and sends and suppressions per UTC day (the last ${DEFAULT_DAYS} days by default)`,
  async run(args, io) {
    const options = parseCountsOptions(args, new Date());
    return withMongoDb(io, async (db) => {
      const { counterShards: shards, counterWriters: writers } = collections(db);
      const ids =
        options.playbookId !== undefined
          ? [options.playbookId]
          : await knownPlaybookIds(playbookCollections(db));
      const all = await Promise.all(ids.map((id) => playbookCounts({ shards, writers }, id, options)));
      if (options.json) io.out(JSON.stringify(all, null, 2));
      else if (all.length === 0) io.out('no playbooks published: nothing counted');
      else io.out(all.map((counts) => formatCounts(counts).join('\n')).join('\n\n'));
      return 0;
    });
  },
};
