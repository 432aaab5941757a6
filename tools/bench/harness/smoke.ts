/** `npx tsx tools/bench/harness/smoke.ts`: the harness end to end, 50 events at 10/s, figures printed. */
import { startBenchStack } from './benchStack';
import { runEngineLoad } from './engineLoad';
import { benchPlaybook } from './playbooks';
import { machineInfo, formatMachine } from './machine';

async function main(): Promise<void> {
  const bench = await startBenchStack({
    playbooks: [benchPlaybook],
    keepData: process.argv.includes('--keep'),
  });
  try {
    console.log(formatMachine(await machineInfo(bench.stack.mongodbUri)));
    console.log('pids', bench.pids(), 'worker', bench.worker().child.pid);
    const figures = await runEngineLoad(bench, {
      prefix: 'smoke',
      rate: 10,
      count: 50,
      settleTimeoutMs: 30_000,
    });
    const { load: _load, ...shown } = figures;
    console.log(JSON.stringify(shown, null, 1));
    const restart = await bench.restartWorker();
    console.log(`worker restart (prebuilt bundle): ${restart.readyMs.toFixed(0)} ms`);
  } finally {
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
