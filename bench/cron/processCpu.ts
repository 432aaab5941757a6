import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Linux's clock ticks per second, the unit of /proc/<pid>/stat's utime and stime. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** User plus system CPU time a process has used so far, all its threads, in ms. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing paren are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** The CPU a set of processes used between two readings, in ms. */
export function cpuMeter(pids: readonly number[]): () => number {
  const before = pids.map(cpuMsOf);
  return () => pids.reduce((sum, pid, i) => sum + cpuMsOf(pid) - (before[i] ?? 0), 0);
}
