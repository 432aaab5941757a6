import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startFerretDb } from '../../devstack/ferretdb';
import { freePort } from '../../devstack/net';
import { SmtpSink } from '../../devstack/smtpSink';
import { awaitMail } from './awaitMail';
import { cronEvents, insertCronEvent } from './cronEvents';
import { startCronProcess, type CronProcess } from './cronProcess';
import { planKills, runKills, type KillRecord } from './killSchedule';
import { openLoop } from './load';
import { cpuMeter } from './processCpu';
import type { ComparisonSettings } from './settings';
import { percentiles } from './stats';
import type { CronSide } from './types';

const CRON_DB = 'journeys_bench_cron';

export interface CronSideRun {
  side: CronSide;
  kills: KillRecord[];
}

/**
 * The naive cron on its own FerretDB and SMTP sink (it needs no Temporal): a clean load for
 * latency and CPU, then a load during which the cron process is SIGKILLed and restarted.
 */
export async function runCronSide(settings: ComparisonSettings, seed: number): Promise<CronSideRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'journeys-bench-cron-'));
  const ferret = await startFerretDb({ dataDir, port: await freePort() });
  const sink = await SmtpSink.start({ port: await freePort(), dir: join(dataDir, 'mail') });
  const mongo = await MongoClient.connect(ferret.uri);
  const events = cronEvents(mongo.db(CRON_DB));
  const env = { MONGODB_URI: ferret.uri, SMTP_URL: sink.url, CRON_DB };
  let cron: CronProcess | undefined;
  try {
    cron = await startCronProcess(env);
    const cronPid = cron.child.pid;
    if (cronPid === undefined) throw new Error('the naive cron has no pid');
    // One insert before the clock starts, so the collection exists and the first poll is not special.
    await insertCronEvent(events, `cron-${seed}-warmup`, `cron-${seed}-warmup@bench.example`);
    await awaitMail(
      sink,
      [
        {
          eventId: `cron-${seed}-warmup`,
          recipient: `cron-${seed}-warmup@bench.example`,
          startedAt: Date.now(),
        },
      ],
      10_000,
    );

    const meter = cpuMeter([cronPid, ferret.pid, process.pid]);
    const clean = await openLoop({
      ratePerSecond: settings.ratePerSecond,
      durationMs: settings.latencyLoadMs,
      eventAt: (i) => ({ eventId: `cron-${seed}-a${i}`, recipient: `cron-${seed}-a${i}@bench.example` }),
      send: (event) => insertCronEvent(events, event.eventId, event.recipient),
    });
    const cleanTally = await awaitMail(sink, clean.events, settings.settleTimeoutMs);
    const cpuMs = meter();
    if (cleanTally.lost.length > 0) {
      throw new Error(`naive cron: ${cleanTally.lost.length} mails never arrived under the clean load`);
    }

    const plan = planKills(seed, settings.killLoadMs, settings.kills);
    const loadStartedAt = Date.now();
    const [underKill, kills] = await Promise.all([
      openLoop({
        ratePerSecond: settings.ratePerSecond,
        durationMs: settings.killLoadMs,
        eventAt: (i) => ({ eventId: `cron-${seed}-k${i}`, recipient: `cron-${seed}-k${i}@bench.example` }),
        send: (event) => insertCronEvent(events, event.eventId, event.recipient),
      }),
      runKills(
        plan,
        {
          kill: async () => void (await cron?.kill()),
          restart: async () => void (cron = await startCronProcess(env)),
        },
        sink,
        loadStartedAt,
      ),
    ]);
    // Settled once every event has mail and none is left `new`: the cron will send nothing more.
    const killTally = await awaitMail(
      sink,
      underKill.events,
      settings.settleTimeoutMs,
      async (tally) => tally.lost.length === 0 && (await events.countDocuments({ status: 'new' })) === 0,
    );
    return {
      side: {
        events: clean.events.length,
        latencyMs: percentiles(cleanTally.latenciesMs),
        cpuMsPerEvent: cpuMs / clean.events.length,
        underKill: {
          events: underKill.events.length,
          kills: kills.length,
          lost: killTally.lost.length,
          duplicates: killTally.duplicates,
        },
      },
      kills,
    };
  } finally {
    await cron?.stop();
    await mongo.close();
    await sink.stop();
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
