import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Linux's USER_HZ: /proc reports CPU time in these ticks (`getconf CLK_TCK` is 100 on every Linux we run). */
const CLOCK_TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

export interface ProcSample {
  pid: number;
  /** User plus system CPU time the process has used since it started. */
  cpuMs: number;
  rssBytes: number;
  at: number;
}

/** One reading of a process's CPU time and resident memory, or undefined when it is gone. */
export function sampleProc(pid: number): ProcSample | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name, field 3 (state) is index 0, so field n is index n - 3.
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  const rssPages = Number(fields[24 - 3]);
  return {
    pid,
    cpuMs: ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND,
    rssBytes: rssPages * PAGE_BYTES,
    at: Date.now(),
  };
}

/** CPU used between two samples of one process, as milliseconds and as a share of one core. */
export function cpuBetween(before: ProcSample, after: ProcSample): { cpuMs: number; coreShare: number } {
  const cpuMs = after.cpuMs - before.cpuMs;
  const wallMs = Math.max(1, after.at - before.at);
  return { cpuMs, coreShare: cpuMs / wallMs };
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Processes whose command line contains every one of `needles`. */
export function findPids(...needles: string[]): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      const line = cmdline(pid);
      return needles.every((needle) => line.includes(needle));
    });
}

export interface StackPids {
  temporal: number | undefined;
  ferretdb: number | undefined;
}

/**
 * The stack's server processes, found by the data directory on their command lines: startStack
 * does not hand out its children's pids, and each bench stack has its own directory, so this never
 * picks up another checkout's servers.
 */
export function stackPids(dataDir: string): StackPids {
  return {
    temporal: findPids('start-dev', `${dataDir}/temporal.db`)[0],
    ferretdb: findPids('ferretdb', `${dataDir}/ferretdb`)[0],
  };
}

export type ProcessName = 'worker' | 'temporal' | 'ferretdb' | 'bench' | 'bare';

/** CPU use of several named processes over a stretch of time: which one is saturated. */
export class CpuMeter {
  private readonly before = new Map<ProcessName, ProcSample>();

  constructor(private readonly pids: () => Partial<Record<ProcessName, number | undefined>>) {}

  start(): void {
    this.before.clear();
    for (const [name, pid] of Object.entries(this.pids())) {
      const sample = pid === undefined ? undefined : sampleProc(pid);
      if (sample) this.before.set(name as ProcessName, sample);
    }
  }

  /** CPU ms and share of one core per process since start(). */
  stop(): CpuUse {
    const result: CpuUse = {};
    for (const [name, pid] of Object.entries(this.pids())) {
      const first = this.before.get(name as ProcessName);
      const last = pid === undefined ? undefined : sampleProc(pid);
      if (first && last && first.pid === last.pid) result[name as ProcessName] = cpuBetween(first, last);
    }
    return result;
  }
}

export interface Contention {
  /** 1-minute load average: above the core count, processes queue for a CPU. */
  loadAverage: number;
  /**
   * Linux pressure stall information: the share of the last 60 s in which at least one runnable
   * task waited for a CPU. Near 0 on a quiet machine; a high value means every latency measured
   * includes time spent waiting to be scheduled, whatever our processes do.
   */
  cpuPressurePercent: number | undefined;
}

export function machineContention(): Contention {
  let cpuPressurePercent: number | undefined;
  try {
    const some = readFileSync('/proc/pressure/cpu', 'utf8').match(/^some .*avg60=([\d.]+)/m);
    if (some) cpuPressurePercent = Number(some[1]);
  } catch {
    // No PSI on this kernel: the load average alone has to do.
  }
  return { loadAverage: loadavg()[0]!, cpuPressurePercent };
}

export type CpuUse = Partial<Record<ProcessName, { cpuMs: number; coreShare: number }>>;

/** CPU milliseconds each process spent per completed unit of work (a journey, a send). */
export function cpuPerUnit(cpu: CpuUse, units: number): Partial<Record<ProcessName, number>> {
  const per: Partial<Record<ProcessName, number>> = {};
  for (const [name, use] of Object.entries(cpu)) {
    if (use) per[name as ProcessName] = units > 0 ? use.cpuMs / units : Number.NaN;
  }
  return per;
}

/**
 * The rate all processes together could reach if CPU were the only limit: cores × 1000 ms over the
 * CPU milliseconds one unit costs in all of them. Measured per unit, so it holds on a busy machine
 * too, where rates and latencies do not.
 */
export function cpuCeiling(perUnit: Partial<Record<ProcessName, number>>, cores: number): number {
  const total = Object.values(perUnit).reduce((sum, ms) => sum + (ms ?? 0), 0);
  return total > 0 ? (cores * 1000) / total : Number.NaN;
}

export function describePerUnit(perUnit: Partial<Record<ProcessName, number>>): string {
  return Object.entries(perUnit)
    .map(([name, ms]) => `${name} ${Math.round(ms ?? 0)}`)
    .join(', ');
}
