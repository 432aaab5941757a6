import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cartPlaybook, tempDir, threeMistakes, writePlaybook } from './support/playbooks';

const ROOT = join(__dirname, '..');

function journeys(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'cli/journeys.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const lines = (text: string) => text.split('\n').filter((line) => line !== '');
  return { code: result.status, out: lines(result.stdout), err: lines(result.stderr) };
}

describe('journeys playbooks validate', () => {
  it('passes the shipped playbooks, by default and by path', () => {
    for (const run of [journeys('playbooks', 'validate'), journeys('playbooks', 'validate', 'playbooks')]) {
      assert.equal(run.code, 0, run.out.concat(run.err).join('\n'));
      assert.equal(run.out.length, 1);
      assert.match(run.out[0] ?? '', /^\d+ playbooks? valid$/);
    }
  });

  it('prints every problem as file: path: message and exits 1', () => {
    const dir = tempDir();
    writePlaybook(dir, 'good.json', { ...cartPlaybook(), id: 'good', priority: 80 });
    const bad = writePlaybook(dir, 'bad.yaml', threeMistakes());
    const run = journeys('playbooks', 'validate', dir);
    assert.equal(run.code, 1);
    assert.equal(run.out.length, 3, run.out.join('\n'));
    assert.ok(run.out[0]?.startsWith(`${bad}: colour: `));
    assert.ok(run.out[1]?.startsWith(`${bad}: steps[1].next (step "reminder"): `));
    assert.ok(run.out[2]?.startsWith(`${bad}: templates.reminder.sms: `));
    assert.deepEqual(run.err, ['3 problems in 1 of 2 playbook files']);
  });

  it('warns, without failing, when a playbook leaves priority to the default', () => {
    const dir = tempDir();
    const file = writePlaybook(dir, 'new.yaml', { ...cartPlaybook(), id: 'no-priority' });
    const run = journeys('playbooks', 'validate', dir);
    assert.equal(run.code, 0, run.out.concat(run.err).join('\n'));
    assert.deepEqual(run.out, [
      `${file}: priority: warning: not set, so it takes the default 100 and wins over every playbook with a ` +
        'lower priority whenever both want the same customer at once; set priority (0–1000, higher wins) ' +
        'to say where it ranks (journeys playbooks list shows the order)',
      '1 playbook valid (1 warning)',
    ]);
  });

  it('exits 2 with usage on a usage error', () => {
    for (const run of [
      journeys(),
      journeys('playbooks'),
      journeys('playbooks', 'validate', '--strict'),
      journeys('nope'),
    ]) {
      assert.equal(run.code, 2);
      assert.ok(
        run.err.some((line) => line.includes('journeys playbooks validate [path…]')),
        run.err.join('\n'),
      );
    }
  });
});
