import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadHoldoutConfig } from '../config/env';
import type { HoldoutScheme } from '../engine/holdout';
import { InvalidEventError, parseEvent } from '../events/parse';
import type { JourneyEvent } from '../events/schema';
import { loadPlaybooks } from '../playbooks/load';
import { InvalidPolicyError, loadPolicy } from '../policy/load';
import type { ContactPolicy } from '../policy/schema';
import { simulate } from '../simulator/simulate';
import { UsageError, type CliCommand, type CliIo } from './command';
import { parseOptions } from './options';
import { settingsOrReport } from './settings';
import { percentArgument } from './holdoutsCommand';
import { readOffersReporting } from './offerFile';

const SIMULATE_OPTIONS = {
  events: 'string',
  playbooks: 'string',
  policy: 'string',
  offers: 'string',
  from: 'string',
  to: 'string',
  salt: 'string',
  'global-control': 'string',
} as const;

function options(args: readonly string[]): Record<string, string> {
  return parseOptions(args, SIMULATE_OPTIONS).values;
}

function instant(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new UsageError(`--${name}: "${value}" is not an ISO-8601 instant`);
  return at;
}

/**
 * The scheme to assign arms with: epoch 1 as a fresh database would record it from HOLDOUT_SALT and
 * HOLDOUT_GLOBAL_CONTROL_PERCENT, or, to replay a later epoch, its salt and share as
 * `journeys holdouts show --json` prints them. Offline, so it never reads `holdout_schemes` itself;
 * the epoch number is only recorded, never part of a decision.
 */
function holdoutScheme(opts: Record<string, string>): HoldoutScheme {
  const bootstrap = loadHoldoutConfig();
  const salt = opts.salt ?? bootstrap.salt;
  if (salt === '') throw new UsageError('--salt must not be empty');
  const global = opts['global-control'];
  const globalControlPercent =
    global === undefined ? bootstrap.globalControlPercent : percentArgument('--global-control', global);
  return { epoch: 1, salt, globalControlPercent };
}

/** Reads NDJSON events; a bad line is reported with its number and skipped, the rest are kept. */
async function readEvents(file: string, io: CliIo): Promise<{ events: JourneyEvent[]; bad: number }> {
  const events: JourneyEvent[] = [];
  let bad = 0;
  let line = 0;
  const input = file === '-' ? process.stdin : createReadStream(file);
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    try {
      events.push(parseEvent(JSON.parse(text)));
    } catch (error) {
      bad += 1;
      if (error instanceof InvalidEventError)
        for (const i of error.issues) io.err(`${file}:${line}: ${i.path}: ${i.message}`);
      else io.err(`${file}:${line}: invalid JSON: ${(error as Error).message}`);
    }
  }
  return { events, bad };
}

/**
 * `journeys simulate`: what would these playbooks have done over these events? Prints one JSON
 * line per decision, then a summary line; the same input gives byte-identical output.
 */
export const simulateCommand: CliCommand = {
  words: ['simulate'],
  args: '--events <file.ndjson|-> [--playbooks <dir>] [--policy <file>] [--offers <file.json|csv>] [--from <iso>] [--to <iso>] [--salt <salt>] [--global-control <percent>]',
  summary: 'backtest playbooks over recorded events on a virtual clock, without any server',
  async run(args, io) {
    const opts = options(args);
    if (opts.events === undefined) throw new UsageError('--events is required');
    const from = instant('from', opts.from);
    const until = instant('to', opts.to);
    const playbooks = loadPlaybooks(opts.playbooks ?? 'playbooks');
    const holdout = settingsOrReport(io, () => holdoutScheme(opts));
    if (holdout === undefined) return 2;
    let policy: ContactPolicy | undefined;
    try {
      policy = opts.policy === undefined ? undefined : loadPolicy(opts.policy);
    } catch (error) {
      if (!(error instanceof InvalidPolicyError)) throw error;
      io.err(error.message);
      return 2;
    }
    // The catalog decideOffer steps choose from: a bad row is reported and left out, as an import would.
    const catalog =
      opts.offers === undefined ? { offers: [], bad: 0 } : await readOffersReporting(opts.offers, io);
    if (catalog === undefined) return 2;
    const started = process.hrtime.bigint();
    let read: { events: JourneyEvent[]; bad: number };
    try {
      read = await readEvents(opts.events, io);
    } catch (error) {
      io.err(`cannot read "${opts.events}": ${(error as Error).message}`);
      return 2;
    }
    // Events before --from still build profiles and interaction history; they just enter no run.
    const result = simulate(read.events, {
      playbooks,
      holdout,
      offers: catalog.offers,
      ...(policy !== undefined && { policy }),
      ...(from !== undefined && { from }),
      ...(until !== undefined && { until }),
    });
    for (const decision of result.decisions) io.out(JSON.stringify(decision));
    io.out(
      JSON.stringify({ summary: result.summary, events: result.events, decisions: result.decisions.length }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    io.err(
      `simulated ${result.events} events (${read.bad} rejected) into ${result.decisions.length} decisions ` +
        `in ${seconds.toFixed(2)} s: ${Math.round(result.events / seconds)} events/s`,
    );
    return read.bad > 0 || catalog.bad > 0 ? 1 : 0;
  },
};
