import { setTimeout as sleep } from 'node:timers/promises';

/** One event the generator issued. Times are `Date.now()` milliseconds, comparable with the sink's. */
export interface IssuedEvent {
  index: number;
  /** Whatever the publisher returned as the event's identity (an eventId, a workflow ID). */
  id: string | undefined;
  /** When the fixed rate said this event was due. */
  scheduledAt: number;
  /** When the publish call started; later than scheduledAt only when maxInFlight held it back. */
  sentAt: number;
  ackedAt: number | undefined;
  error: string | undefined;
}

export interface LoadOptions {
  /** Events per second, issued on schedule whether or not earlier ones have completed. */
  rate: number;
  /** Stop after this long, or after `count` events, whichever is given (count wins if both). */
  durationMs?: number;
  count?: number;
  /** Publishes in flight at most; past it an event waits, and its wait shows as sentAt − scheduledAt. */
  maxInFlight: number;
  /** Checked before each event: true stops the load early (a top-up that reached its target). */
  shouldStop?: () => boolean;
  /** Publishes event `index`; resolves with its id once the system accepted it. */
  publish(index: number): Promise<string | undefined>;
}

export interface LoadResult {
  events: IssuedEvent[];
  startedAt: number;
  /** When the last event was issued (not acknowledged). */
  issuedUntil: number;
  /** When the last publish settled. */
  settledAt: number;
  /** Largest sentAt − scheduledAt: how far the client fell behind its own schedule. */
  maxIssueLagMs: number;
  errors: number;
}

/**
 * An open-loop load generator: event i is due at start + i / rate, regardless of how earlier
 * publishes fare, so a slow engine shows as growing latency and backlog rather than as a lower
 * offered rate (a closed loop would quietly slow down to whatever the engine manages).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const total = options.count ?? Math.floor(((options.durationMs ?? 0) / 1000) * options.rate);
  if (!Number.isFinite(total) || total <= 0) throw new Error('runLoad needs a positive count or durationMs');
  const intervalMs = 1000 / options.rate;
  const events: IssuedEvent[] = [];
  const pending = new Set<Promise<void>>();
  const waiting: (() => void)[] = [];
  const startedAt = Date.now();
  let maxIssueLagMs = 0;
  let errors = 0;

  const issue = async (index: number, scheduledAt: number): Promise<void> => {
    const event: IssuedEvent = {
      index,
      id: undefined,
      scheduledAt,
      sentAt: Date.now(),
      ackedAt: undefined,
      error: undefined,
    };
    events.push(event);
    maxIssueLagMs = Math.max(maxIssueLagMs, event.sentAt - scheduledAt);
    try {
      event.id = await options.publish(index);
      event.ackedAt = Date.now();
    } catch (error) {
      errors += 1;
      event.error = error instanceof Error ? error.message : String(error);
    }
  };

  for (let index = 0; index < total; index++) {
    if (options.shouldStop?.()) break;
    const scheduledAt = startedAt + index * intervalMs;
    const early = scheduledAt - Date.now();
    if (early > 1) await sleep(early);
    // Bounded concurrency: wait for a slot, which only ever delays this event (recorded as lag).
    while (pending.size >= options.maxInFlight) await new Promise<void>((free) => waiting.push(free));
    const running = issue(index, scheduledAt).finally(() => {
      pending.delete(running);
      waiting.shift()?.();
    });
    pending.add(running);
  }
  const issuedUntil = Date.now();
  await Promise.all(pending);
  events.sort((a, b) => a.index - b.index);
  return { events, startedAt, issuedUntil, settledAt: Date.now(), maxIssueLagMs, errors };
}
