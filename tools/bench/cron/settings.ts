/** The load both sides get, and how hard they are hit; the same for the engine and the cron. */
export interface ComparisonSettings {
  ratePerSecond: number;
  /** The clean load, for latency and CPU per event. */
  latencyLoadMs: number;
  /** The second load, during which the process is killed. */
  killLoadMs: number;
  kills: number;
  /** The longest a load waits for its last mail: the engine's retries after a kill need 30 s and more. */
  settleTimeoutMs: number;
}

/**
 * 5 events/s: the engine spends about a quarter of a CPU second per event on this 2-core machine
 * (worker, Temporal dev server, FerretDB and client together, measured by this comparison), so 10/s
 * would queue and the latency would be a backlog's, not a send's. At 5/s both sides keep up and
 * latency means latency. The full run fits in about 2.5 minutes: the engine's settling after a
 * kill alone takes 30 s, its activities' timeout.
 */
export function comparisonSettings(quick: boolean): ComparisonSettings {
  return quick
    ? { ratePerSecond: 5, latencyLoadMs: 6_000, killLoadMs: 6_000, kills: 2, settleTimeoutMs: 60_000 }
    : { ratePerSecond: 5, latencyLoadMs: 25_000, killLoadMs: 15_000, kills: 3, settleTimeoutMs: 75_000 };
}
