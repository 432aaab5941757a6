import { sampleProc } from '../harness/procStats';

/**
 * The CPU a set of processes used from now until the returned function is called, in ms, summed.
 * A process that is gone by then would make the sum a guess, so that throws.
 */
export function cpuMeter(pids: Record<string, number | undefined>): () => Record<string, number> {
  const read = (name: string, pid: number | undefined): number => {
    const sample = pid === undefined ? undefined : sampleProc(pid);
    if (sample === undefined) throw new Error(`no CPU reading for ${name} (pid ${pid})`);
    return sample.cpuMs;
  };
  const before = Object.entries(pids).map(([name, pid]) => [name, read(name, pid)] as const);
  return () => Object.fromEntries(before.map(([name, cpuMs]) => [name, read(name, pids[name]) - cpuMs]));
}

export function totalMs(byProcess: Record<string, number>): number {
  return Object.values(byProcess).reduce((sum, ms) => sum + ms, 0);
}
