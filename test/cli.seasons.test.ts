import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../cli/dispatch';
import { tempDir } from './support/servers';

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** Runs with SEASONS_FILE set as given, restoring the variable afterwards. */
async function withSeasonsFile<T>(value: string, body: () => Promise<T>): Promise<T> {
  const saved = process.env.SEASONS_FILE;
  process.env.SEASONS_FILE = value;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.SEASONS_FILE;
    else process.env.SEASONS_FILE = saved;
  }
}

/*
 * `journeys seasons sync` reads its calendar from its argument, else SEASONS_FILE as schemas/env.ts
 * checks it, before it connects to anything: a calendar mistake is reported on its own, no server needed.
 */
describe('journeys seasons sync: the calendar file', () => {
  const dir = tempDir('journeys-seasons');
  after(() => dir.remove());
  const bad = join(dir.path, 'bad-seasons.yaml');
  writeFileSync(bad, 'timezone: Mars/Olympus\nmoments: []\n');

  it('reads SEASONS_FILE when no file is given, and reports its problems by file and path', async () => {
    const result = await withSeasonsFile(bad, () => run(['seasons', 'sync']));
    assert.equal(result.code, 1, result.err.join('\n'));
    assert.match(
      result.err[0] ?? '',
      new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: timezone: `),
    );
  });

  it('a SEASONS_FILE of blanks is a configuration error naming the variable, exit 2', async () => {
    const result = await withSeasonsFile('   ', () => run(['seasons', 'sync']));
    assert.equal(result.code, 2);
    assert.match(result.err[0] ?? '', /SEASONS_FILE: is " {3}"; expected the seasonal calendar file/);
  });
});
