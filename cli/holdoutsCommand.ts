import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Db } from 'mongodb';
import { loadHoldoutConfig, type HoldoutConfig } from '../schemas/env';
import { collections, type HoldoutSchemeRecord } from '../store/collections';
import { currentScheme, reshuffle, ReshuffleError, schemeHistory } from '../store/holdouts';
import { UsageError, type CliCommand, type CliIo } from './command';
import { parseOptions } from './options';
import { settingsOrReport } from './settings';
import { withMongoDb } from './withMongoDb';

/*
 * `journeys holdouts show` and `journeys holdouts reshuffle`: the only way the holdout assignment
 * changes is a recorded reshuffle, so both commands read and write `holdout_schemes`, and each
 * bootstraps epoch 1 from HOLDOUT_SALT and HOLDOUT_GLOBAL_CONTROL_PERCENT as the client would.
 */

/** `--name value` pairs; flags not in `known` are refused rather than ignored, and so are repeats. */
function options(args: readonly string[], known: readonly string[]): Record<string, string> {
  const kinds = Object.fromEntries(known.map((name) => [name, 'string' as const]));
  return parseOptions(args, kinds).values as Record<string, string>;
}

/** A percentage argument (0–100, at most two decimals: the buckets resolve 0.01%). */
export function percentArgument(flag: string, value: string): number {
  const percent = Number(value);
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(value) || percent > 100)
    throw new UsageError(`${flag}: "${value}" is not a percentage from 0 to 100 (at most two decimals)`);
  return percent;
}

/**
 * Salts are not secrets (anyone with one can only recompute arms), but a 32-character salt makes
 * the table unreadable; the fingerprint is enough to tell epochs apart. `--json` prints the salt.
 */
export function saltFingerprint(salt: string): string {
  return createHash('sha256').update(salt).digest('hex').slice(0, 8);
}

function describeScheme(record: Pick<HoldoutSchemeRecord, '_id' | 'salt' | 'globalControlPercent'>): string {
  return `epoch ${record._id} (salt ${saltFingerprint(record.salt)}, global control ${record.globalControlPercent}%)`;
}

/** The holdout bootstrap and the database, or exit 2 naming the variable that is wrong. */
async function withHoldouts(io: CliIo, run: (db: Db, bootstrap: HoldoutConfig) => Promise<number>) {
  const bootstrap = settingsOrReport(io, () => loadHoldoutConfig());
  if (bootstrap === undefined) return 2;
  return withMongoDb(io, (db) => run(db, bootstrap));
}

export const holdoutsShow: CliCommand = {
  words: ['holdouts', 'show'],
  args: '[--json]',
  summary: 'print the current holdout scheme and every earlier one, with why and by whom it changed',
  run: (args, io) => {
    const json = args.includes('--json');
    if (args.some((arg) => arg !== '--json')) throw new UsageError('expected no arguments but --json');
    return withHoldouts(io, async (db, bootstrap) => {
      const { holdoutSchemes } = collections(db);
      await currentScheme(holdoutSchemes, bootstrap);
      const history = await schemeHistory(holdoutSchemes);
      if (json) {
        const rows = history.map(({ _id, createdAt, ...rest }) => ({
          epoch: _id,
          ...rest,
          saltFingerprint: saltFingerprint(rest.salt),
          createdAt: createdAt.toISOString(),
        }));
        io.out(JSON.stringify(rows, null, 2));
        return 0;
      }
      const current = history.at(-1);
      if (current) io.out(`current: ${describeScheme(current)}`);
      const table = [
        ['epoch', 'salt', 'global', 'created', 'by', 'reason'],
        ...history.map((r) => [
          String(r._id),
          saltFingerprint(r.salt),
          `${r.globalControlPercent}%`,
          r.createdAt.toISOString(),
          r.by,
          r.reason,
        ]),
      ];
      const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
      for (const row of table)
        io.out(
          row
            .map((cell, i) => cell.padEnd(widths[i]!))
            .join('  ')
            .trimEnd(),
        );
      return 0;
    });
  },
};

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export const holdoutsReshuffle: CliCommand = {
  words: ['holdouts', 'reshuffle'],
  args: '--reason <text> [--global-control <percent>] [--by <name>]',
  summary: 'record a new holdout scheme with a fresh salt: new entries are assigned afresh',
  run: (args, io) => {
    const opts = options(args, ['reason', 'global-control', 'by']);
    const reason = opts.reason?.trim() ?? '';
    if (reason === '')
      throw new UsageError(
        '--reason is required: say why customers are being reshuffled, e.g. --reason "new quarter"',
      );
    const global = opts['global-control'];
    const globalControlPercent =
      global === undefined ? undefined : percentArgument('--global-control', global);
    const by = opts.by ?? currentUser();
    return withHoldouts(io, async (db, bootstrap) => {
      const { holdoutSchemes } = collections(db);
      // Epoch 1 first, so the history shows what the reshuffle replaced.
      const before = await currentScheme(holdoutSchemes, bootstrap);
      try {
        const after = await reshuffle(holdoutSchemes, {
          reason,
          by,
          ...(globalControlPercent !== undefined && { globalControlPercent }),
        });
        io.out(
          `reshuffled: ${describeScheme({ ...after, _id: after.epoch })} replaces ` +
            `${describeScheme({ ...before, _id: before.epoch })}`,
        );
        io.out(
          'New entries are assigned with it within 5 s on each client; running journeys keep their arms.',
        );
        return 0;
      } catch (error) {
        if (!(error instanceof ReshuffleError)) throw error;
        io.err(`holdouts reshuffle: ${error.message}`);
        return 1;
      }
    });
  },
};
