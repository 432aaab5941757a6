/**
 * `npx tsx tools/bench/harness/diagnose.ts [rate] [seconds] [--cpu-prof] [--histories]`: one engine load with each process's CPU
 * share (worker, Temporal dev server, FerretDB, this process: client and sinks), to see which is
 * saturated when latency or throughput falls short.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchStack } from './benchStack';
import { cpuProfileEnv, summarizeCpuProfiles } from './cpuProfile';
import { journeyId } from '../../../engine/interpreter/entry';
import { historyTimeline } from './historyProbe';
import { latencyBreakdown, spacedSample } from './latencyBreakdown';
import { describeBreakdown } from '../sustained';
import { runEngineLoad } from './engineLoad';
import { benchPlaybook } from './playbooks';
import { CpuMeter, cpuPerUnit, describePerUnit } from './procStats';
import { sampleThreads, threadCpuBetween } from './threadCpu';

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 10);
  const seconds = Number(process.argv[3] ?? 30);
  // --cpu-prof: the worker writes a V8 CPU profile when it stops (SIGTERM, a clean shutdown).
  const profileDir = process.argv.includes('--cpu-prof')
    ? mkdtempSync(join(tmpdir(), 'journeys-bench-profile-'))
    : undefined;
  const bench = await startBenchStack({
    playbooks: [benchPlaybook],
    ...(profileDir && {
      workerEnv: cpuProfileEnv(profileDir),
    }),
  });
  try {
    const meter = new CpuMeter(() => ({
      ...bench.pids(),
      worker: bench.worker().child.pid,
      bench: process.pid,
    }));
    const workerPid = bench.worker().child.pid;
    const threadsBefore = workerPid === undefined ? undefined : sampleThreads(workerPid);
    meter.start();
    const figures = await runEngineLoad(bench, { prefix: 'diag', rate, durationMs: seconds * 1000 });
    const cpu = meter.stop();
    const threads =
      workerPid === undefined || threadsBefore === undefined
        ? []
        : threadCpuBetween(workerPid, threadsBefore, sampleThreads(workerPid));
    const { load: _load, ...shown } = figures;
    console.log(JSON.stringify({ ...shown, cpu }, null, 1));
    const ids = figures.load.events.flatMap((e) =>
      e.id === undefined ? [] : [journeyId(benchPlaybook.id, e.id)],
    );
    console.log(describeBreakdown(await latencyBreakdown(bench.client.temporal, spacedSample(ids, 20))));
    console.log(`CPU ms per journey: ${describePerUnit(cpuPerUnit(cpu, figures.delivered))}`);
    const perJourney = (ms: number) => Math.round((ms / Math.max(1, figures.delivered)) * 10) / 10;
    console.log(
      `worker CPU ms per journey by thread: ${threads
        .slice(0, 8)
        .map((t) => `${t.thread} ${perJourney(t.cpuMs)}`)
        .join(', ')}`,
    );
    // Where a slow run spent its time, from its history: the slowest event's run and the last one's.
    const slowest = [...figures.load.events].sort(
      (a, b) => (b.ackedAt ?? 0) - b.sentAt - ((a.ackedAt ?? 0) - a.sentAt),
    )[0];
    for (const event of process.argv.includes('--histories') ? [slowest, figures.load.events.at(-1)] : []) {
      if (event?.id === undefined) continue;
      const id = journeyId(benchPlaybook.id, event.id);
      const timeline = await historyTimeline(bench.client.temporal, id);
      console.log(`${id}: published at +0, acked +${(event.ackedAt ?? 0) - event.sentAt} ms`);
      for (const step of timeline)
        console.log(`  ${String(step.atMs).padStart(6)} ${step.event} ${step.detail ?? ''}`);
    }
    console.log(bench.worker().output().split('\n').slice(-15).join('\n'));
  } finally {
    await bench.stop();
  }
  if (profileDir) console.log(profileDir, summarizeCpuProfiles(profileDir));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
