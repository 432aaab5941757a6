import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ, as in procStats.ts. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU milliseconds each thread of a process has used, by thread id, with the thread's name. */
export type ThreadSample = Map<number, { name: string; cpuMs: number }>;

export function sampleThreads(pid: number): ThreadSample {
  const sample: ThreadSample = new Map();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return sample;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[14 - 3]) + Number(fields[15 - 3]);
      sample.set(Number(tid), { name, cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return sample;
}

/**
 * Where a Node process's CPU went between two samples, by thread: the main thread (activities,
 * the SDK's JavaScript side), the other Node threads (Node 20 names them all `node`: the SDK's
 * workflow thread, V8's GC and compiler helpers, libuv's pool) one by one, and the native threads
 * grouped by name (the SDK core's tokio runtime: gRPC and protobuf, outside any V8 profile).
 */
export function threadCpuBetween(
  pid: number,
  before: ThreadSample,
  after: ThreadSample,
): { thread: string; cpuMs: number }[] {
  const totals = new Map<string, number>();
  for (const [tid, { name, cpuMs }] of after) {
    const spent = cpuMs - (before.get(tid)?.cpuMs ?? 0);
    if (spent <= 0) continue;
    const key = tid === pid ? 'main' : name === 'node' ? `node ${tid}` : name;
    totals.set(key, (totals.get(key) ?? 0) + spent);
  }
  return [...totals].map(([thread, cpuMs]) => ({ thread, cpuMs })).sort((a, b) => b.cpuMs - a.cpuMs);
}
