import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bundleWorkflowCode } from '@temporalio/worker';
import { sharedWorkflowModules } from '../../workflows/sharedModules';
import { startWorkerProcess, type WorkerProcess } from '../devstack/workerProcess';

/** Writes the workflow bundle once per chaos run, so each worker restart takes a second, not a webpack build. */
export async function writeWorkflowBundle(file: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    preloadModules: sharedWorkflowModules,
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (m) => console.error(m),
    },
  });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, code);
  return file;
}

/**
 * Keeps one worker process running, as a process manager would: SIGKILLed on purpose it is started
 * again at once; one that dies by itself (its servers went away) is restarted too, with a pause.
 */
export class WorkerSupervisor {
  private current: WorkerProcess | undefined;
  private stopping = false;
  private queue: Promise<void> = Promise.resolve();
  kills = 0;
  unexpectedExits = 0;

  constructor(
    private readonly env: Record<string, string>,
    /** Each worker's output is appended here when it exits, for a look after a failed scenario. */
    private readonly logFile?: string,
  ) {}

  start(): Promise<void> {
    return this.serially(() => this.launch());
  }

  /** SIGKILL, then a new worker at once. Resolves once the new one polls. */
  killAndRestart(): Promise<void> {
    return this.serially(async () => {
      await this.killNow();
      await this.launch();
    });
  }

  /** SIGKILL only: for a kill timed inside a provider call, the restart follows separately. */
  async killNow(): Promise<void> {
    const worker = this.current;
    this.current = undefined;
    if (worker) {
      this.kills++;
      await worker.kill();
    }
  }

  restartIfDown(): Promise<void> {
    return this.serially(async () => {
      if (this.current === undefined) await this.launch();
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.queue.catch(() => undefined);
    await this.current?.stop();
    this.current = undefined;
  }

  /** What the last worker printed: for a report when something went wrong. */
  output(): string {
    return this.current?.output() ?? '';
  }

  private serially(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Starts a worker, retrying while its servers are down. */
  private async launch(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        const worker = await startWorkerProcess(this.env, 60_000);
        this.current = worker;
        worker.child.once('exit', (code, signal) => {
          if (this.logFile !== undefined) {
            appendFileSync(this.logFile, `${worker.output()}\n--- worker exited (${code ?? signal}) ---\n`);
          }
          if (this.current !== worker || this.stopping) return;
          this.current = undefined;
          this.unexpectedExits++;
          void sleep(500).then(() => this.restartIfDown());
        });
        return;
      } catch (error) {
        if (attempt % 5 === 0)
          console.error(`  worker failed to start (attempt ${attempt}): ${String(error).slice(0, 300)}`);
        await sleep(1_000);
      }
    }
  }
}
