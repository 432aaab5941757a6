import { createReadStream } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { loadContentFiles, loadHoldoutConfig } from '../schemas/env';
import type { HoldoutScheme } from '../engine/measurement/holdout';
import { InvalidEventError, parseEvent } from '../schemas/events/parse';
import type { JourneyEvent } from '../schemas/events/schema';
import { loadPlaybooks } from '../schemas/playbook/load';
import { InvalidPolicyError, loadPolicy } from '../schemas/policy/load';
import type { ContactPolicy } from '../schemas/policy/schema';
import { simulate } from '../simulator/simulate';
import { UsageError, type CliCommand, type CliIo } from './command';
import { commandInput, parseOptions } from './options';
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
  'no-policy': 'boolean',
} as const;

const EVENTS = '<events.ndjson|->';

function options(args: readonly string[]): {
  events: string;
  opts: Record<string, string>;
  noPolicy: boolean;
} {
  const { values, positionals } = parseOptions(args, SIMULATE_OPTIONS, 1);
  const { 'no-policy': noPolicy, events: oldFlag, ...opts } = values;
  const events = commandInput({ positionals, oldFlag }, 'events', EVENTS);
  return { events, opts, noPolicy: noPolicy === true };
}

/** A file as the summary names it: relative to where the command runs, when it is below it. */
function shown(file: string): string {
  const below = relative(process.cwd(), file);
  return below === '' || below.startsWith('..') || isAbsolute(below) ? file : below;
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
function holdoutScheme(opts: Record<string, string>, io: CliIo): HoldoutScheme {
  const bootstrap = loadHoldoutConfig(process.env, (line) => io.err(line));
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
 * line per decision, then a summary line; the same input gives byte-identical output. The contact
 * policy is the workspace's (POLICY_FILE, as the worker reads it), `--policy <file>` another, and
 * `--no-policy` none.
 */
export const simulateCommand: CliCommand = {
  words: ['simulate'],
  args: `${EVENTS} [--playbooks <dir>] [--policy <file> | --no-policy] [--offers <file.json|csv>] [--from <iso>] [--to <iso>] [--salt <salt>] [--global-control <percent>]`,
  summary: 'backtest playbooks over recorded events on a virtual clock, without any server',
  notes: ['--events <file.ndjson|-> (the older form of the events argument) is still accepted'],
  async run(args, io) {
    // A backtest answers "what would the engine have done", so it applies the workspace policy
    // unless told not to.
    const { events, opts, noPolicy } = options(args);
    if (noPolicy && opts.policy !== undefined)
      throw new UsageError('--policy and --no-policy contradict each other: give one');
    const from = instant('from', opts.from);
    const until = instant('to', opts.to);
    const playbooks = loadPlaybooks(opts.playbooks ?? 'playbooks');
    const holdout = settingsOrReport(io, () => holdoutScheme(opts, io));
    if (holdout === undefined) return 2;
    let policyFile: string | undefined;
    if (!noPolicy) {
      const file =
        opts.policy ??
        settingsOrReport(io, () => loadContentFiles(process.env, (line) => io.err(line)).policyFile);
      if (file === undefined) return 2;
      policyFile = shown(file);
    }
    let policy: ContactPolicy | undefined;
    try {
      policy = policyFile === undefined ? undefined : loadPolicy(policyFile);
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
      read = await readEvents(events, io);
    } catch (error) {
      io.err(`cannot read "${events}": ${(error as Error).message}`);
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
      JSON.stringify({
        summary: result.summary,
        events: result.events,
        decisions: result.decisions.length,
        // Which caps, quiet hours and arbitration the counts are under; null: none (--no-policy).
        policy: policyFile ?? null,
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    io.err(
      `simulated ${result.events} events (${read.bad} rejected) into ${result.decisions.length} decisions ` +
        `in ${seconds.toFixed(2)} s: ${Math.round(result.events / seconds)} events/s; ` +
        (policyFile === undefined ? 'no contact policy (--no-policy)' : `contact policy ${policyFile}`),
    );
    return read.bad > 0 || catalog.bad > 0 ? 1 : 0;
  },
};
