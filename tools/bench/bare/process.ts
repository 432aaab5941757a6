import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { reapOnExit } from '../../devstack/reapOnExit';

export const BARE_TASK_QUEUE = 'bench-bare';

export interface BareWorkerProcess {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts tools/bench/bare/worker.ts as its own process and waits for its polling line. */
export async function startBareWorker(
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<BareWorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'worker.ts')], {
    env: { ...process.env, ...env, BARE_TASK_QUEUE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  reapOnExit(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await new Promise<void>((ready, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`bare worker not ready in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const poll = setInterval(() => {
      if (!output.includes('bare worker: polling')) return;
      clearInterval(poll);
      clearTimeout(timer);
      ready();
    }, 50);
    void exited.then(() => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`bare worker exited before it was ready:\n${output}`));
    });
  });
  return {
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
