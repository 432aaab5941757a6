import { setTimeout as sleep } from 'node:timers/promises';
import type { SmtpSink } from '../../devstack/smtpSink';

/** The process a kill plan kills: the engine's worker or the naive cron. */
export interface Killable {
  /** SIGKILL, resolving once the process is gone. */
  kill(): Promise<void>;
  /** Starts a fresh process at once, resolving when it is ready for work again. */
  restart(): Promise<void>;
}

export interface KillPlan {
  /** Offsets from the start of the load, ascending, in ms. */
  atMs: number[];
  /** Which kill waits for the sink to accept a mail and lands before the sender hears so. */
  aimed: number;
}

/** How long the sink holds its reply to the aimed mail: the sender is inside its send, the mail is taken. */
const AIMED_HOLD_MS = 3_000;
/** After the held mail is recorded, a moment for a mail already being parsed to be recorded too. */
const AIMED_SETTLE_MS = 50;

/** A small seeded generator (mulberry32): the same seed, the same kill moments. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * `kills` moments spread over the load: each falls at a seeded random point of its own slice of the
 * middle 80 % of the load, so kills never bunch up and the last lands while events still arrive.
 * The first is the aimed one.
 */
export function planKills(seed: number, loadMs: number, kills: number): KillPlan {
  const random = seededRandom(seed);
  const span = loadMs * 0.8;
  const slice = span / kills;
  const atMs = Array.from({ length: kills }, (_, i) => Math.round(loadMs * 0.1 + slice * (i + random())));
  return { atMs, aimed: 0 };
}

export interface KillRecord {
  atMs: number;
  aimed: boolean;
  /** How long the restarted process took to be ready, in ms. */
  restartMs: number;
}

/**
 * Kills at the plan's moments (or as soon after as the previous restart allows) and restarts at
 * once. The aimed kill asks the sink to hold its reply to the next mail, waits until that mail is
 * recorded as accepted, then kills: the mail is at the provider, the sender never learns it.
 */
export async function runKills(
  plan: KillPlan,
  target: Killable,
  sink: SmtpSink,
  loadStartedAt: number,
): Promise<KillRecord[]> {
  const records: KillRecord[] = [];
  for (const [index, offset] of plan.atMs.entries()) {
    const wait = loadStartedAt + offset - Date.now();
    if (wait > 0) await sleep(wait);
    const aimed = index === plan.aimed;
    if (aimed) await untilNextMailIsAccepted(sink);
    const atMs = Date.now() - loadStartedAt;
    await target.kill();
    const restartStarted = Date.now();
    await target.restart();
    records.push({ atMs, aimed, restartMs: Date.now() - restartStarted });
  }
  return records;
}

async function untilNextMailIsAccepted(sink: SmtpSink, timeoutMs = 30_000): Promise<void> {
  const before = sink.messages.length;
  sink.injectFaults({ kind: 'accept-then-hang', ms: AIMED_HOLD_MS });
  const deadline = Date.now() + timeoutMs;
  while (sink.messages.length === before) {
    if (Date.now() > deadline)
      throw new Error(`no mail reached the sink in ${timeoutMs} ms for the aimed kill`);
    await sleep(2);
  }
  await sleep(AIMED_SETTLE_MS);
}
