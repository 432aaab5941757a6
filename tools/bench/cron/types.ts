/** The naive-cron comparison's result (tools/bench/cron/compare.ts), one side per system, same load. */
export interface CronSide {
  events: number;
  latencyMs: { p50: number; p95: number; p99: number };
  cpuMsPerEvent: number;
  underKill: { events: number; kills: number; lost: number; duplicates: number };
}

export interface CronComparison {
  engine: CronSide;
  cron: CronSide;
}
