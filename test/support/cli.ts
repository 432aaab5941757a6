import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Non-empty lines of each stream. */
  out: string[];
  err: string[];
}

/**
 * The CLI as a user runs it (`npm run journeys -- …`), in its own process, against a database, with
 * more environment (a Temporal address, the channels) for commands that need it.
 */
export function runCli(
  args: readonly string[],
  mongo: { uri: string; db: string },
  env: Record<string, string> = {},
): Promise<CliRun> {
  const child = spawnCli(args, { ...env, MONGODB_URI: mongo.uri, MONGODB_DB: mongo.db });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = (text: string) => text.split('\n').filter((line) => line !== '');
  return new Promise((resolveRun, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr, out: lines(stdout), err: lines(stderr) }));
  });
}

/** The CLI's process, started as runCli starts it, for a test that must stop it mid-way. */
export function spawnCli(
  args: readonly string[],
  env: Record<string, string>,
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'cli/journeys.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
}
