import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFerretDb, type FerretDb } from '../tools/devstack/ferretdb';
import { freePort } from '../tools/devstack/net';
import { tempDir } from './support/servers';

const ROOT = resolve(__dirname, '..');

interface Exit {
  code: number | null;
  output: string;
  ms: number;
}

/** Runs the worker or the CLI in its own process, as an operator starts it, until it exits. */
function run(args: readonly string[], env: Record<string, string>): Promise<Exit> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    // Only what the test gives: a variable of the machine running the tests must not leak in.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolveExit, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveExit({ code, output, ms: performance.now() - started });
    });
  });
}

function assertNoStack(exit: Exit): void {
  assert.doesNotMatch(exit.output, /^\s+at /m, `a stack trace was printed:\n${exit.output}`);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/*
 * A worker or CLI that cannot start says which variable is wrong, shows its value with the password
 * masked, and says what to check, in one message without a stack trace; an unreachable MongoDB is
 * reported in seconds. Unreachable servers are ports on 127.0.0.1 that were free a moment ago.
 */
describe('start-up failures name the variable, its masked value and what to check', () => {
  const dir = tempDir('journeys-startup-errors');
  let ferret: FerretDb;
  let base: Record<string, string>;

  before(async () => {
    ferret = await startFerretDb({ dataDir: dir.path, port: await freePort() });
    base = {
      MONGODB_URI: ferret.uri,
      MONGODB_DB: `startup_${Date.now()}`,
      SMTP_URL: 'smtp://127.0.0.1:2525',
      TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
      TWILIO_AUTH_TOKEN: 'twilio-token-not-shown',
      TWILIO_FROM: '+15005550006',
    };
  });
  after(async () => {
    await ferret?.stop();
    dir.remove();
  });

  it('the worker, MongoDB unreachable: MONGODB_URI with the password masked, within seconds', async () => {
    const port = await freePort();
    const uri = `mongodb://journeys:s3cret-pw@127.0.0.1:${port}/?authSource=admin`;
    const exit = await run(['worker.ts'], { ...base, MONGODB_URI: uri });
    assert.equal(exit.code, 1, exit.output);
    assert.match(
      exit.output,
      new RegExp(
        `MONGODB_URI: cannot connect to "${escape(`mongodb://journeys:****@127.0.0.1:${port}/?authSource=admin`)}" within 10 s: .*; ` +
          'check that MongoDB \\(or FerretDB\\) is running and reachable at that host and port',
      ),
    );
    assert.doesNotMatch(exit.output, /s3cret-pw/);
    assertNoStack(exit);
    assert.ok(exit.ms < 25_000, `took ${Math.round(exit.ms)} ms`);
  });

  it('the worker, Temporal unreachable: TEMPORAL_ADDRESS and its value', async () => {
    const port = await freePort();
    const exit = await run(['worker.ts'], { ...base, TEMPORAL_ADDRESS: `127.0.0.1:${port}` });
    assert.equal(exit.code, 1, exit.output);
    assert.match(
      exit.output,
      new RegExp(
        `TEMPORAL_ADDRESS: cannot connect to the Temporal frontend at "127\\.0\\.0\\.1:${port}" .*` +
          'check that the Temporal server is running and reachable at that host and port',
      ),
    );
    assertNoStack(exit);
  });

  it('the worker, a port out of range in TEMPORAL_ADDRESS: refused before connecting', async () => {
    const exit = await run(['worker.ts'], { ...base, TEMPORAL_ADDRESS: '127.0.0.1:99999' });
    assert.equal(exit.code, 2, exit.output);
    assert.match(
      exit.output,
      /TEMPORAL_ADDRESS: is "127\.0\.0\.1:99999"; expected host:port of the Temporal frontend, e\.g\. 127\.0\.0\.1:7233 \(the port must be from 1 to 65535\)/,
    );
    assertNoStack(exit);
  });

  it('the worker, a bad %-escape in the SMTP_URL password: named, masked, with the fix', async () => {
    const exit = await run(['worker.ts'], { ...base, SMTP_URL: 'smtp://mailer:p%zzword@127.0.0.1:2525' });
    assert.equal(exit.code, 2, exit.output);
    assert.match(
      exit.output,
      /SMTP_URL: is "smtp:\/\/mailer:\*\*\*\*@127\.0\.0\.1:2525"; expected .*\(the user name or password holds a % that is not a %-escape: write a % in them as %25\)/,
    );
    assert.doesNotMatch(exit.output, /zzword|URIError/);
    assertNoStack(exit);
  });

  it('the CLI, MongoDB unreachable (`playbooks list`): the same message, exit 1', async () => {
    const port = await freePort();
    const uri = `mongodb://ops:hunter2@127.0.0.1:${port}/`;
    const exit = await run(['cli/journeys.ts', 'playbooks', 'list'], { ...base, MONGODB_URI: uri });
    assert.equal(exit.code, 1, exit.output);
    assert.match(
      exit.output,
      new RegExp(
        `^MONGODB_URI: cannot connect to "mongodb://ops:\\*\\*\\*\\*@127\\.0\\.0\\.1:${port}/" within 10 s`,
        'm',
      ),
    );
    assert.doesNotMatch(exit.output, /hunter2/);
    assertNoStack(exit);
  });

  it('the CLI, Temporal unreachable (`events publish`): TEMPORAL_ADDRESS and what to check', async () => {
    const port = await freePort();
    const exit = await run(['cli/journeys.ts', 'events', 'publish', '-'], {
      ...base,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    });
    assert.equal(exit.code, 1, exit.output);
    assert.match(
      exit.output,
      new RegExp(
        `^TEMPORAL_ADDRESS: cannot connect to the Temporal frontend at "127\\.0\\.0\\.1:${port}"`,
        'm',
      ),
    );
    assertNoStack(exit);
  });
  it('the worker, a renamed variable under its old name: one warning naming the new one', async () => {
    // A bad TEMPORAL_ADDRESS stops it right after reading the settings: no server is needed.
    const exit = await run(['worker.ts'], {
      ...base,
      WORKFLOW_BUNDLE_PATH: 'dist/workflow-bundle.js',
      TEMPORAL_ADDRESS: '127.0.0.1:99999',
    });
    assert.equal(exit.code, 2, exit.output);
    const warnings = exit.output.split('\n').filter((line) => line.includes('WORKFLOW_BUNDLE_PATH'));
    assert.deepEqual(warnings, [
      'journeys: warning: WORKFLOW_BUNDLE_PATH is deprecated: it is read as WORKFLOW_BUNDLE_FILE, its new name; ' +
        'set WORKFLOW_BUNDLE_FILE instead',
    ]);
    assert.match(exit.output, /TEMPORAL_ADDRESS: is "127\.0\.0\.1:99999"/);
    assertNoStack(exit);
  });

  it('the worker, a renamed variable set under both names to different values: refused, naming both', async () => {
    const exit = await run(['worker.ts'], {
      ...base,
      WORKFLOW_BUNDLE_PATH: 'old-bundle.js',
      WORKFLOW_BUNDLE_FILE: 'new-bundle.js',
    });
    assert.equal(exit.code, 2, exit.output);
    assert.match(
      exit.output,
      /WORKFLOW_BUNDLE_FILE: is "new-bundle\.js", but its old name WORKFLOW_BUNDLE_PATH is "old-bundle\.js": set only WORKFLOW_BUNDLE_FILE/,
    );
    assertNoStack(exit);
  });
});
