import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { reapOnExit } from '../../devstack/reapOnExit';

export interface CronProcess {
  child: ChildProcess;
  output(): string;
  /** SIGKILL, as a crash, an OOM kill or a deploy that does not wait would: nothing gets to finish. */
  kill(): Promise<number | null>;
  /** SIGTERM: the loop finishes its pass and closes its clients. */
  stop(): Promise<number | null>;
}

/** Starts tools/bench/cron/naiveCron.ts as its own process and waits until it polls. */
export async function startCronProcess(
  env: { MONGODB_URI: string; SMTP_URL: string; CRON_DB: string },
  timeoutMs = 30_000,
): Promise<CronProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'naiveCron.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  reapOnExit(child);
  let output = '';
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`naive cron not ready in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onOutput = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('cron: polling')) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`naive cron exited with ${code} before it was ready:\n${output}`));
    });
  });
  const signal = (name: NodeJS.Signals) => (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return exited;
  };
  return { child, output: () => output, kill: signal('SIGKILL'), stop: signal('SIGTERM') };
}
