import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { reapOnExit } from './reapOnExit';

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the worker printed so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Kills the process outright (SIGKILL), as a crash or an OOM kill would: nothing gets to finish. */
  kill(): Promise<number | null>;
}

/** Runs `worker.ts` as its own process, as in production, and waits until it polls its queue. */
export async function startWorkerProcess(
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '..', '..', 'worker.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  reapOnExit(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker not ready in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const poll = setInterval(() => {
      if (output.includes('worker: polling')) {
        clearInterval(poll);
        clearTimeout(timer);
        resolveReady();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before it was ready:\n${output}`));
    });
  });

  return {
    child,
    output: () => output,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}
