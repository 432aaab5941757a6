import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectJourneyClient, type ConnectedJourneyClient } from '../../../router/connect';
import { loadConfig, type Config } from '../../../schemas/env';
import { startStack, type Stack } from '../../devstack/stack';
import { startWorkerProcess, type WorkerProcess } from '../../devstack/workerProcess';
import type { Playbook } from '../../../schemas/playbook/schema';
import { writeBenchPolicy } from './benchPolicy';
import { prebuiltBundle } from './bundle';
import { importBenchOffers } from './offers';
import { stackPids, type StackPids } from './procStats';

export interface BenchStackOptions {
  /** The definitions the client routes with (fixed, as tests pass them; nothing is published). */
  playbooks: readonly Playbook[];
  /** More worker environment, e.g. WORKER_MAX_CACHED_WORKFLOWS, WORKER_STATUS_INTERVAL_MS. */
  workerEnv?: Record<string, string>;
  /** Keep the data directory after stop(), to look at the servers' logs. */
  keepData?: boolean;
}

export interface RestartOptions {
  /** Load the prebuilt bundle (default) or bundle the workflows at start-up, as a plain worker does. */
  prebuilt?: boolean;
  /** Replaces the extra worker environment given at start. */
  workerEnv?: Record<string, string>;
}

export interface BenchStack {
  dataDir: string;
  stack: Stack;
  /** The worker's environment (stack, bench policy, bundle, holdout, the caller's extras). */
  env: Record<string, string>;
  config: Config;
  client: ConnectedJourneyClient;
  bundlePath: string;
  /** The current worker process (restartWorker replaces it). */
  worker(): WorkerProcess;
  /** The Temporal dev server's and FerretDB's pids, for CPU and memory readings. */
  pids(): StackPids;
  /**
   * Kills the worker (SIGKILL, as a crash would) if it is running and starts a new one; resolves
   * with the time from spawn to its "polling" line (to the 50 ms the readiness check polls at).
   */
  restartWorker(options?: RestartOptions): Promise<{ worker: WorkerProcess; readyMs: number }>;
  stop(): Promise<void>;
}

/**
 * A fresh, isolated stack for one benchmark: its own data directory, the file-backed Temporal dev
 * server, FerretDB, the SMTP sink and the Twilio endpoint on free ports, the bench policy, a worker
 * process on the prebuilt bundle, and a connected JourneyClient.
 */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const bundlePath = await prebuiltBundle();
  const dataDir = mkdtempSync(join(tmpdir(), 'journeys-bench-'));
  const stack = await startStack({ dataDir });
  const base = {
    ...stack.env,
    POLICY_FILE: writeBenchPolicy(dataDir),
    // No global control group: every bench customer must enter, or its event would have no action.
    HOLDOUT_GLOBAL_CONTROL_PERCENT: '0',
  };
  let workerEnv = options.workerEnv ?? {};
  const envFor = (prebuilt: boolean): Record<string, string> => ({
    ...base,
    ...(prebuilt ? { WORKFLOW_BUNDLE_FILE: bundlePath } : {}),
    ...workerEnv,
  });
  let current: WorkerProcess | undefined;
  let client: ConnectedJourneyClient | undefined;

  const restartWorker = async (restart: RestartOptions = {}) => {
    if (current && current.child.exitCode === null) await current.kill();
    if (restart.workerEnv) workerEnv = restart.workerEnv;
    const env = envFor(restart.prebuilt ?? true);
    if (!(restart.prebuilt ?? true)) env.WORKFLOW_BUNDLE_FILE = '';
    const spawnedAt = performance.now();
    current = await startWorkerProcess(env);
    return { worker: current, readyMs: performance.now() - spawnedAt };
  };

  const stop = async (): Promise<void> => {
    await client?.close().catch(() => undefined);
    if (current && current.child.exitCode === null) await current.stop().catch(() => undefined);
    await stack.stop();
    if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await restartWorker();
    const config = loadConfig(base);
    client = await connectJourneyClient(config, { playbooks: options.playbooks });
    const connected = client;
    // Before any load: the bench journey decides an offer, and the worker reads the catalog once.
    await importBenchOffers(connected.collections);
    return {
      dataDir,
      stack,
      env: envFor(true),
      config,
      client: connected,
      bundlePath,
      worker: () => {
        if (!current) throw new Error('no worker process');
        return current;
      },
      pids: () => stackPids(dataDir),
      restartWorker,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
