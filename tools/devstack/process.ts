import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPortOpen } from './net';
import { reapOnExit } from './reapOnExit';

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr go here, so a failure can show its last lines. */
  logFile: string;
  /** The service's port; it counts as ready once this accepts connections and `ready` agrees. */
  readyPort: number;
  /** A stronger readiness check, run once the port is open (e.g. a real request). */
  ready?: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

export interface Service {
  name: string;
  pid: number;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  stop(): Promise<void>;
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startService(spec: ServiceSpec): Promise<Service> {
  const log = createWriteStream(spec.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(spec.command, spec.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  reapOnExit(child);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code));
  const spawnError = new Promise<Error>((resolveError) => child.once('error', resolveError));

  const stop = async (): Promise<void> => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      // Unref'd: once the child is gone, a pending grace timer must not hold the process open.
      const grace = sleep(10_000, false, { ref: false });
      const killed = await Promise.race([exited.then(() => true), grace]);
      if (!killed) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    log.end();
  };

  const deadline = Date.now() + (spec.readyTimeoutMs ?? 60_000);
  for (;;) {
    const failure = await Promise.race([spawnError, sleep(100).then(() => undefined)]);
    if (failure) throw new Error(`${spec.name} could not start (${spec.command}): ${failure.message}`);
    if (exitCode !== undefined) {
      throw new Error(`${spec.name} exited with code ${exitCode} while starting:\n${tail(spec.logFile)}`);
    }
    // Another process could hold a port we were told was free; only our child's exit or a real
    // request tells the two apart, so both are checked.
    if ((await isPortOpen(spec.readyPort)) && (spec.ready === undefined || (await spec.ready()))) {
      if (exitCode === undefined) break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${spec.name} was not ready on port ${spec.readyPort} in time:\n${tail(spec.logFile)}`);
    }
  }
  return { name: spec.name, pid: child.pid ?? -1, stop };
}
