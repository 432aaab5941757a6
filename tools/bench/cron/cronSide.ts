import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startFerretDb } from '../../devstack/ferretdb';
import { freePort } from '../../devstack/net';
import { SmtpSink } from '../../devstack/smtpSink';
import { benchEmail } from '../harness/playbooks';
import { cronEvents, insertCronEvent } from './cronEvents';
import { startCronProcess, type CronProcess } from './cronProcess';
import { measureSide, type SideRun } from './measureSide';
import type { ComparisonSettings } from './settings';

const CRON_DB = 'journeys_bench_cron';

/**
 * The naive cron on a fresh FerretDB and SMTP sink of its own (it needs no Temporal), measured
 * the way the engine is: its process, FerretDB and this one are metered; the cron is the target.
 */
export async function runCronSide(settings: ComparisonSettings, seed: number): Promise<SideRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'journeys-bench-cron-'));
  const ferret = await startFerretDb({ dataDir, port: await freePort() });
  const sink = await SmtpSink.start({ port: await freePort(), dir: join(dataDir, 'mail') });
  const mongo = await MongoClient.connect(ferret.uri);
  const events = cronEvents(mongo.db(CRON_DB));
  const env = { MONGODB_URI: ferret.uri, SMTP_URL: sink.url, CRON_DB };
  let cron: CronProcess | undefined;
  try {
    cron = await startCronProcess(env);
    return await measureSide(
      {
        name: 'cron',
        sink,
        pids: () => ({ cron: cron?.child.pid, ferretdb: ferret.pid, bench: process.pid }),
        prepare: () => Promise.resolve(),
        send: (customerId) => insertCronEvent(events, customerId, benchEmail(customerId)),
        target: {
          kill: async () => void (await cron?.kill()),
          restart: async () => void (cron = await startCronProcess(env)),
        },
        // Nothing left `new`: the cron will send nothing more (a copy goes out before its mark).
        settled: async () => (await events.countDocuments({ status: 'new' })) === 0,
        whereIs: async (eventId) => {
          const event = await events.findOne({ _id: eventId });
          return event ? `cron_events status ${event.status}` : 'not in cron_events';
        },
      },
      settings,
      seed,
    );
  } finally {
    await cron?.stop();
    await mongo.close();
    await sink.stop();
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
