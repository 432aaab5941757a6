import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { Collections } from '../../store/collections';

export interface SettleResult {
  settled: boolean;
  waitedMs: number;
  running: number;
  sending: number;
}

/**
 * Waits until the engine has nothing left to do: no journey run still open on the task queue, no
 * delivery held by an attempt (other workflows, such as computed timers, may rightly stay open), and the sinks quiet for a moment (a crashed attempt is retried only
 * after the activity's 30 s start-to-close timeout, so "the sinks have every message" is not enough:
 * a re-send after a crash would come later and must be counted). Gives up after stallMs without
 * progress (no new message, no run finishing), so a slow machine gets the time it needs and a
 * stuck run does not hold the suite; and after maxMs in any case.
 */
export async function settle(options: {
  temporal: Client;
  collections: Collections;
  taskQueue: string;
  sinkCount: () => number;
  maxMs: number;
  quietMs?: number;
  /** Longer than a retry after the 30 s start-to-close timeout plus its backoff. */
  stallMs?: number;
}): Promise<SettleResult> {
  const stallMs = options.stallMs ?? 75_000;
  let lastProgress = Date.now();
  const started = Date.now();
  const quietMs = options.quietMs ?? 3_000;
  let lastCount = options.sinkCount();
  let lastChange = Date.now();
  let running = -1;
  let sending = -1;
  while (Date.now() - started < options.maxMs) {
    await sleep(1_000);
    const count = options.sinkCount();
    if (count !== lastCount) {
      lastCount = count;
      lastChange = Date.now();
      lastProgress = Date.now();
    }
    if (Date.now() - lastProgress > stallMs) break;
    const previousRunning = running;
    try {
      running = (
        await options.temporal.workflow.count(
          `TaskQueue = "${options.taskQueue}" AND WorkflowType = "journeyWorkflow" AND ExecutionStatus = "Running"`,
        )
      ).count;
      sending = await options.collections.deliveries.countDocuments({ status: 'sending' });
    } catch {
      // A server is still coming back: not settled yet.
      continue;
    }
    if (running !== previousRunning) lastProgress = Date.now();
    if (running === 0 && sending === 0 && Date.now() - lastChange >= quietMs) {
      return { settled: true, waitedMs: Date.now() - started, running, sending };
    }
  }
  return { settled: false, waitedMs: Date.now() - started, running, sending };
}
