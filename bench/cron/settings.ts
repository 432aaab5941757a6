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

export function comparisonSettings(quick: boolean): ComparisonSettings {
  return quick
    ? { ratePerSecond: 10, latencyLoadMs: 5_000, killLoadMs: 6_000, kills: 2, settleTimeoutMs: 60_000 }
    : { ratePerSecond: 10, latencyLoadMs: 20_000, killLoadMs: 15_000, kills: 3, settleTimeoutMs: 75_000 };
}
