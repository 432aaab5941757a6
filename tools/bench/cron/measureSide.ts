import { setTimeout as sleep } from 'node:timers/promises';
import type { SmtpSink } from '../../devstack/smtpSink';
import { percentiles } from '../harness/stats';
import { awaitMail } from './awaitMail';
import { planKills, runKills, type Killable, type KillRecord } from './killSchedule';
import type { SentEvent } from './mailTally';
import { cpuMeter, totalMs } from './processCpu';
import type { ComparisonSettings } from './settings';
import { eventCount, sideLoad } from './sideLoad';
import type { CronSide } from './types';

/** Warm-up events before the clock starts: first sends pay for connections and cold code paths. */
const WARMUP_EVENTS = 5;
const WARMUP_TIMEOUT_MS = 30_000;
/** How long the idle reading lasts: it says how much of the CPU per event a system spends anyway. */
const IDLE_READING_MS = 2_000;

/** One system (the engine or the naive cron) as the comparison drives it. */
export interface SystemUnderTest {
  name: string;
  sink: SmtpSink;
  /** Every process doing the work, this one included; read when the clean load starts. */
  pids(): Record<string, number | undefined>;
  /** Runs before a load, off the clock: e.g. the engine's customer profiles. */
  prepare(prefix: string, count: number): Promise<void>;
  /** Hands one event to the system: its "event accepted" moment starts when this is called. */
  send(customerId: string, index: number): Promise<void>;
  /** The process a kill hits: the worker or the cron. */
  target: Killable;
  /** True once the system will send nothing more for these events (mail for all has arrived). */
  settled(events: readonly SentEvent[]): Promise<boolean>;
  /**
   * How many of these events' mails the system's own records say may have gone twice; absent for a
   * system that keeps no such record, whose copies are silent.
   */
  recordedResends?(events: readonly SentEvent[]): Promise<number>;
  /** Where an event without mail stands in the system, in a few words, to tell stuck from dropped. */
  whereIs(eventId: string): Promise<string>;
}

export interface SideRun {
  side: CronSide;
  /** CPU ms per process during the clean load, before dividing by events. */
  cpuMsByProcess: Record<string, number>;
  /** CPU ms per second all its processes used with no load, just before it (polls, timers). */
  idleCpuMsPerSecond: number;
  /** The clean load's wall time, from its first event to its last mail (or the timeout), in ms. */
  cleanWindowMs: number;
  /**
   * Clean-load events still without mail at the timeout, with where each stood. Latency and CPU
   * then cover the delivered events only, so the table shows these next to them.
   */
  cleanUndelivered: string[];
  /** The events lost under the kills, with where each stood once the wait was over. */
  lostUnderKill: string[];
  kills: KillRecord[];
  /** Sends that failed outright (the event never entered), clean load and kill load. */
  loadErrors: number;
  /** Wall time from the end of the kill load until settled (or the timeout). */
  killSettleMs: number;
  /** Idempotency keys accepted more than once under the kills. */
  duplicateKeys: string[];
  /** Of the duplicates, those under their first copy's Message-ID (a receiver can drop them). */
  duplicatesUnderSameMessageId: number;
  /** Mails the system itself recorded as possibly sent twice, or undefined when it keeps no record. */
  recordedResends: number | undefined;
}

/**
 * The comparison's method, the same for both systems: a warm-up, a clean open-loop load metered
 * for latency and CPU until its last mail arrived, then a second load during which the target is
 * SIGKILLed at seeded moments and restarted, counted at the sink once everything settled.
 */
export async function measureSide(
  system: SystemUnderTest,
  settings: ComparisonSettings,
  seed: number,
): Promise<SideRun> {
  const prefix = (phase: string): string => `${system.name}-s${seed}-${phase}`;
  const load = (phase: string, durationMs: number) =>
    sideLoad({ prefix: prefix(phase), rate: settings.ratePerSecond, durationMs }, (id, i) =>
      system.send(id, i),
    );

  await system.prepare(prefix('w'), WARMUP_EVENTS);
  const warmup = await sideLoad(
    {
      prefix: prefix('w'),
      rate: settings.ratePerSecond,
      durationMs: (WARMUP_EVENTS * 1000) / settings.ratePerSecond,
    },
    (id, i) => system.send(id, i),
  );
  const warm = await awaitMail(system.sink, warmup.events, WARMUP_TIMEOUT_MS);
  if (warm.lost.length > 0) throw new Error(`${system.name}: warm-up mail never arrived`);

  await system.prepare(prefix('a'), eventCount(settings.ratePerSecond, settings.latencyLoadMs));
  const idleMeter = cpuMeter(system.pids());
  await sleep(IDLE_READING_MS);
  const idleCpuMsPerSecond = (totalMs(idleMeter()) * 1000) / IDLE_READING_MS;
  const meter = cpuMeter(system.pids());
  const cleanStartedAt = Date.now();
  const clean = await load('a', settings.latencyLoadMs);
  const cleanTally = await awaitMail(system.sink, clean.events, settings.settleTimeoutMs);
  const cpuMsByProcess = meter();
  const cleanWindowMs = Date.now() - cleanStartedAt;
  // Not thrown: a section of a long benchmark run reports what it found rather than nothing.
  const cleanUndelivered = await Promise.all(
    cleanTally.lost.map(async (eventId) => `${eventId}: ${await system.whereIs(eventId)}`),
  );

  await system.prepare(prefix('k'), eventCount(settings.ratePerSecond, settings.killLoadMs));
  const plan = planKills(seed, settings.killLoadMs, settings.kills);
  const killLoadStartedAt = Date.now();
  const [underKill, kills] = await Promise.all([
    load('k', settings.killLoadMs),
    runKills(plan, system.target, system.sink, killLoadStartedAt),
  ]);
  const loadEndedAt = Date.now();
  const killTally = await awaitMail(system.sink, underKill.events, settings.settleTimeoutMs, () =>
    system.settled(underKill.events),
  );
  const lostUnderKill = await Promise.all(
    killTally.lost.map(async (eventId) => `${eventId}: ${await system.whereIs(eventId)}`),
  );
  return {
    side: {
      events: clean.events.length,
      latencyMs: pick(percentiles(cleanTally.latenciesMs)),
      cpuMsPerEvent: totalMs(cpuMsByProcess) / clean.events.length,
      underKill: {
        events: underKill.events.length,
        kills: kills.length,
        lost: killTally.lost.length,
        duplicates: killTally.duplicates,
      },
    },
    cpuMsByProcess,
    idleCpuMsPerSecond,
    cleanWindowMs,
    cleanUndelivered,
    lostUnderKill,
    kills,
    loadErrors: clean.errors + underKill.errors,
    killSettleMs: Date.now() - loadEndedAt,
    duplicateKeys: killTally.duplicateKeys,
    duplicatesUnderSameMessageId: killTally.duplicatesUnderSameMessageId,
    recordedResends: await system.recordedResends?.(underKill.events),
  };
}

function pick({ p50, p95, p99 }: { p50: number; p95: number; p99: number }): CronSide['latencyMs'] {
  return { p50: Math.round(p50), p95: Math.round(p95), p99: Math.round(p99) };
}
