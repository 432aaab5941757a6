import { benchCustomerId } from '../harness/customers';
import { runLoad, type LoadResult } from '../harness/load';
import { benchEmail } from '../harness/playbooks';
import type { SentEvent } from './mailTally';

/** Publishes in flight at most: far above what 10 events/s needs, so the load stays open-loop. */
const MAX_IN_FLIGHT = 200;

export interface SideLoad {
  events: SentEvent[];
  /** Publishes or inserts that failed: such an event never entered the system. */
  errors: number;
  startedAt: number;
}

/**
 * The same open-loop load for either side: event i is customer `<prefix>-<i>`, mailed at its bench
 * address, and counts from the moment its publish (engine) or insert (cron) began.
 */
export async function sideLoad(
  options: { prefix: string; rate: number; durationMs: number },
  send: (customerId: string, index: number) => Promise<void>,
): Promise<SideLoad> {
  const load: LoadResult = await runLoad({
    rate: options.rate,
    durationMs: options.durationMs,
    maxInFlight: MAX_IN_FLIGHT,
    publish: async (index) => {
      const customerId = benchCustomerId(options.prefix, index);
      await send(customerId, index);
      return customerId;
    },
  });
  const events = load.events.map((issued) => {
    const customerId = benchCustomerId(options.prefix, issued.index);
    return { eventId: customerId, recipient: benchEmail(customerId), startedAt: issued.sentAt };
  });
  return { events, errors: load.errors, startedAt: load.startedAt };
}

/** How many events a load of this rate and length issues (runLoad's own rounding). */
export function eventCount(rate: number, durationMs: number): number {
  return Math.floor((durationMs / 1000) * rate);
}
