import { setTimeout as sleep } from 'node:timers/promises';
import type { SentEvent } from './mailTally';

export interface LoadOptions {
  ratePerSecond: number;
  durationMs: number;
  /** Names the event and its fresh customer; the same seed and index, the same names. */
  eventAt(index: number): { eventId: string; recipient: string };
  /** Hands one event to the system under test: the cron's insert or the engine's publish. */
  send(event: { eventId: string; recipient: string }): Promise<void>;
}

/**
 * Open loop: event i is sent at start + i / rate whether or not earlier sends have finished, so a
 * slow system sees the load a shop would give it rather than one that politely waits.
 */
export async function openLoop(options: LoadOptions): Promise<{ events: SentEvent[]; startedAt: number }> {
  const count = Math.round((options.ratePerSecond * options.durationMs) / 1000);
  const startedAt = Date.now();
  const events: SentEvent[] = [];
  const sends: Promise<void>[] = [];
  for (let index = 0; index < count; index++) {
    const due = startedAt + (index * 1000) / options.ratePerSecond;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const event = { ...options.eventAt(index), startedAt: Date.now() };
    events.push(event);
    sends.push(options.send(event));
  }
  await Promise.all(sends);
  return { events, startedAt };
}
