import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import type { JourneyEvent } from '../../schemas/events/schema';
import { Playbook } from '../../schemas/playbook/schema';
import { collections, ensureIndexes, type EntryRecord } from '../../store/collections';
import { DEFAULT_COST_MODEL } from '../../store/liftAttributions';
import { liftData } from '../../store/liftData';
import { rebuildLift } from '../../store/liftRebuild';
import {
  activate,
  ensurePlaybookIndexes,
  playbookCollections,
  publishVersion,
} from '../../store/playbookVersions';
import { cartPlaybook } from '../../test/support/playbooks';
import { startFerretDb } from '../devstack/ferretdb';
import { freePort } from '../devstack/net';
import { demoEvents, insertStored } from './harness/storedEvents';

/*
 * How long `journeys report lift` takes over a store of N stored events (the target: ≤ 5 s
 * at 1 M on the embedded default). Seeds the demo store's customer events (as
 * tools/bench/harness/storedEvents.ts does) and the entries their cart updates make into 15
 * playbooks, builds the lift rollup as the migration does, then times the report as a user runs it.
 * The data directory is kept, so a later run with a larger N adds to it:
 *
 *   node --import tsx tools/bench/liftReport.ts <events> <dataDir> [<old checkout to time too>]
 *
 * With LIFT_BENCH_EVENTS_ONLY=1 the events added enter no playbook and the rollup is left as it is
 * (it would not change): a large store without waiting for a rebuild of it.
 */

const PLAYBOOKS = 15;
const CHUNK_CUSTOMERS = 2000;
const ROOT = resolve(__dirname, '..', '..');

const playbooks = Array.from({ length: PLAYBOOKS }, (_, i) =>
  Playbook.parse({
    ...cartPlaybook(),
    id: `bench-lift-${String(i + 1).padStart(2, '0')}`,
    success:
      i % 2 === 0
        ? { metric: { event: 'order.placed' }, window: '7d' }
        : { metric: { event: 'order.placed', matchTriggerOn: 'event.data.cartId' }, window: '3d' },
  }),
);

function prefixed(event: JourneyEvent, prefix: string): JourneyEvent {
  const renamed = { ...event, eventId: `${prefix}${event.eventId}` } as JourneyEvent & {
    customerId?: string;
  };
  if ('customerId' in event) renamed.customerId = `${prefix}${event.customerId}`;
  return renamed;
}

/** Each cart update enters a third of the playbooks (by a hash of the two), 10% into control. */
function entriesOf(events: readonly JourneyEvent[]): EntryRecord[] {
  const out: EntryRecord[] = [];
  events.forEach((event, n) => {
    if (event.type !== 'cart.updated') return;
    playbooks.forEach((playbook, i) => {
      if ((n + i) % 3 !== 0) return;
      out.push({
        journeyId: `journey:${playbook.id}:${event.customerId}:${event.eventId}`,
        playbookId: playbook.id,
        playbookVersion: 1,
        playbookLabel: 'v1@000000000000',
        customerId: event.customerId,
        entryEventId: event.eventId,
        arm: (n + i) % 10 === 0 ? 'control' : 'treatment',
        holdoutEpoch: 1,
        enteredAt: new Date(Date.parse(event.occurredAt) + 30_000),
      });
    });
  });
  return out;
}

function timed(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; code: number | null; out: string }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/journeys.ts', ...args], { cwd, env });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((done) => child.on('close', (code) => done({ ms: Date.now() - started, code, out })));
}

async function main(): Promise<void> {
  const [countArg, dataDir, oldCheckout] = process.argv.slice(2);
  const target = Number(countArg);
  if (!Number.isFinite(target) || dataDir === undefined)
    throw new Error('usage: liftReport.ts <events> <dataDir> [<old checkout>]');
  mkdirSync(dataDir, { recursive: true });
  const eventsOnly = process.env.LIFT_BENCH_EVENTS_ONLY === '1';
  const ferret = await startFerretDb({ dataDir, port: await freePort() });
  const mongo = await MongoClient.connect(ferret.uri);
  try {
    const db = mongo.db('lift_bench');
    const stored = { ...collections(db), playbooks: playbookCollections(db) };
    await ensureIndexes(db);
    await ensurePlaybookIndexes(db);
    const now = Date.parse('2026-12-01T00:00:00Z');
    if ((await stored.playbooks.states.findOne({ _id: playbooks[0]!.id })) === null)
      for (const playbook of playbooks) {
        await publishVersion(stored.playbooks, playbook, new Date(now));
        await activate(stored.playbooks, playbook.id, new Date(now));
      }
    const meta = db.collection<{ _id: string; events: number; chunk: number }>('bench_meta');
    let progress = (await meta.findOne({ _id: 'seed' })) ?? { _id: 'seed', events: 0, chunk: 0 };
    const seedStart = Date.now();
    while (progress.events < target) {
      const events = demoEvents({ customers: CHUNK_CUSTOMERS, seed: 1000 + progress.chunk, now })
        .filter((event) => 'customerId' in event)
        .slice(0, target - progress.events)
        .map((event) => prefixed(event, `seed${progress.chunk}-`));
      await insertStored(stored, events, new Date(now));
      const entries = eventsOnly ? [] : entriesOf(events);
      for (let i = 0; i < entries.length; i += 5000)
        await stored.entries.insertMany(entries.slice(i, i + 5000));
      progress = { _id: 'seed', events: progress.events + events.length, chunk: progress.chunk + 1 };
      await meta.replaceOne({ _id: 'seed' }, progress, { upsert: true });
      console.error(`seeded ${progress.events} events (${Math.round((Date.now() - seedStart) / 1000)} s)`);
    }
    const entryCount = await stored.entries.countDocuments({});
    console.log(`stored: ${progress.events} events, ${entryCount} entries, ${PLAYBOOKS} playbooks`);

    let started = Date.now();
    const counted = eventsOnly
      ? 0
      : await rebuildLift(stored, DEFAULT_COST_MODEL, (line) => console.error(line));
    console.log(
      `rebuild (the migration's work, once): ${counted} entries in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    started = Date.now();
    const data = await liftData(stored, {});
    console.log(`liftData in process: ${data.length} playbooks in ${Date.now() - started} ms`);
    started = Date.now();
    await liftData(stored, { from: new Date(now - 7 * 86_400_000) });
    console.log(`liftData, last 7 days: ${Date.now() - started} ms`);

    const env = { ...process.env, MONGODB_URI: ferret.uri, MONGODB_DB: 'lift_bench' };
    const cli = await timed(['report', 'lift', '--json'], ROOT, env);
    console.log(`journeys report lift --json (process, incl. start-up): ${cli.ms} ms, exit ${cli.code}`);
    const bare = await timed(['report', 'lift', '--playbook', 'none-such'], ROOT, env);
    console.log(`  of which CLI start-up (a report of no playbook): ${bare.ms} ms`);
    if (oldCheckout !== undefined) {
      const old = await timed(['report', 'lift', '--json'], oldCheckout, env);
      console.log(`before (${oldCheckout}): journeys report lift --json: ${old.ms} ms, exit ${old.code}`);
      const same = old.out.trim() === cli.out.trim();
      console.log(`  same JSON as the rollup's: ${same}`);
    }
  } finally {
    await mongo.close();
    await ferret.stop();
  }
}

void main();
