import { setTimeout as sleep } from 'node:timers/promises';
import type { SmtpSink } from '../../devstack/smtpSink';
// The project's seeded generator (mulberry32): the same seed, the same kill moments.
import { mulberry32 } from '../../../engine/random/mulberry32';

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

/**
 * `kills` moments spread over the load: each falls at a seeded random point of its own slice of the
 * middle 80 % of the load, so kills never bunch up and the last lands while events still arrive.
 * The first is the aimed one.
 */
export function planKills(seed: number, loadMs: number, kills: number): KillPlan {
  const random = mulberry32(seed);
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
  /** The aimed kill's mail: accepted by the sink, its sender killed before the answer. */
  acceptedKey?: string;
}

/**
 * Kills at the plan's moments (or as soon after as the previous restart allows) and restarts at
 * once. The aimed kill happens inside the sink's accept hook: the next mail is stored, and its
 * sender is SIGKILLed before the sink answers, so the provider has the mail and the sender never
 * learns it (the window between a send and its being recorded).
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
    let acceptedKey: string | undefined;
    if (index === plan.aimed) acceptedKey = await killOnNextAccept(sink, target);
    else await target.kill();
    const atMs = Date.now() - loadStartedAt;
    const restartStarted = Date.now();
    await target.restart();
    records.push({
      atMs,
      aimed: index === plan.aimed,
      restartMs: Date.now() - restartStarted,
      ...(acceptedKey === undefined ? {} : { acceptedKey }),
    });
  }
  return records;
}

async function killOnNextAccept(
  sink: SmtpSink,
  target: Killable,
  timeoutMs = 60_000,
): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<string | undefined>((resolveKill, reject) => {
      timer = setTimeout(() => {
        sink.onAccepted(undefined);
        reject(new Error(`no mail reached the sink in ${timeoutMs} ms for the aimed kill`));
      }, timeoutMs);
      sink.onAccepted(async (mail) => {
        // Cleared first, synchronously: a mail accepted while this kill runs is answered normally.
        sink.onAccepted(undefined);
        await target.kill();
        resolveKill(mail.idempotencyKey);
      });
    });
  } finally {
    clearTimeout(timer);
  }
}
