import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

/** Running, not merely a zombie waiting for an init that does not reap (some containers). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (not Linux): the signal probe is all there is
  }
}

/** Runs the orphan maker and returns its child's pid and how the parent ended. */
async function orphanMaker(mode: 'crash' | 'sigterm'): Promise<{ childPid: number; code: number | null }> {
  const parent = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(__dirname, 'support', 'orphanMaker.ts'), mode],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  parent.stdout.setEncoding('utf8');
  parent.stdout.on('data', (chunk: string) => (stdout += chunk));
  const exited = once(parent, 'exit') as Promise<[number | null]>;
  while (!/^\d+\n/.test(stdout)) {
    if (parent.exitCode !== null) assert.fail(`the orphan maker ended before printing a pid: ${stdout}`);
    await sleep(20);
  }
  const childPid = Number(stdout.trim().split('\n')[0]);
  assert.ok(alive(childPid), 'the child runs while its parent does');
  if (mode === 'sigterm') parent.kill('SIGTERM');
  const [code] = await exited;
  return { childPid, code };
}

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await sleep(20);
  }
  return false;
}

describe('servers started by bench, chaos and the dev stack end with their parent', () => {
  it('a parent that crashes takes its child with it', async () => {
    const { childPid, code } = await orphanMaker('crash');
    assert.equal(code, 1);
    assert.ok(await goneWithin(childPid, 5000), `child ${childPid} outlived its crashed parent`);
  });

  it('a parent sent SIGTERM exits 143 and takes its child with it', async () => {
    const { childPid, code } = await orphanMaker('sigterm');
    assert.equal(code, 143);
    assert.ok(await goneWithin(childPid, 5000), `child ${childPid} outlived its parent`);
  });
});
