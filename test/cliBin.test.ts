import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(__dirname, '..');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A command as a user types it in the checkout, in its own process. */
function run(command: string, args: readonly string[], cwd = ROOT): Promise<Exit> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolveExit, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolveExit({ code, stdout, stderr }));
  });
}

/*
 * `npx journeys` after `npm install`: npm links no bin of the project itself into node_modules/.bin,
 * but npx (npm exec, since npm 9) runs a bin of the package in whose folder it is called. --offline
 * keeps the test off the registry: what it proves needs none, and a missing bin must fail here
 * rather than fetch some other package called journeys.
 */
describe('npx journeys (package.json bin, cli/bin.cjs)', () => {
  it('package.json names cli/bin.cjs as the journeys bin', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { bin?: unknown };
    assert.deepEqual(pkg.bin, { journeys: 'cli/bin.cjs' });
  });

  it('`npx journeys --help` prints the usage of every command and exits 0', async () => {
    const exit = await run('npx', ['--offline', 'journeys', '--help']);
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stdout, /^usage:\n/);
    assert.match(exit.stdout, /journeys simulate <events\.ndjson\|->/);
    assert.match(exit.stdout, /journeys playbooks validate \[path…\]/);
  });

  it('runs from a subfolder of the checkout too, and passes on the exit code of a usage error', async () => {
    const exit = await run('npx', ['--offline', 'journeys', 'no-such-command'], resolve(ROOT, 'docs'));
    assert.equal(exit.code, 2, exit.stderr);
    assert.match(exit.stderr, /^unknown command: no-such-command/);
  });
});
