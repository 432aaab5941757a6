import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../cli/dispatch';
import { parseOptions } from '../cli/options';

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('journeys options (cli/options.ts, shared by every command)', () => {
  it('refuses an option that takes one value given twice, in every command, before doing anything', async () => {
    for (const [argv, message] of [
      [
        ['simulate', '--events', 'events.ndjson', '--playbooks', 'playbooks', '--playbooks', 'drafts'],
        '--playbooks is given twice ("playbooks", "drafts")',
      ],
      [['explain', '--customer', 'ada', '--customer', 'bob'], '--customer is given twice ("ada", "bob")'],
      [
        ['report', 'lift', '--from', '2026-01-01', '--from', '2026-02-01'],
        '--from is given twice ("2026-01-01", "2026-02-01")',
      ],
      [['holdouts', 'reshuffle', '--reason', 'a', '--reason', 'b'], '--reason is given twice ("a", "b")'],
      [
        ['demo', 'generate', '--seed', '1', '--seed', '2', '--seed', '3'],
        '--seed is given 3 times ("1", "2", "3")',
      ],
    ] as const) {
      const result = await run(...argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.deepEqual(result.out, []);
      assert.equal(result.err[0], `${message}; it takes one value: give it once`);
      assert.match(result.err.at(-1) ?? '', /^usage:\n {2}journeys /);
    }
  });

  it('says which option is unknown, lacks its value, or takes none', () => {
    const kinds = { playbooks: 'string', json: 'boolean' } as const;
    assert.throws(() => parseOptions(['--playbook', 'x'], kinds), /^UsageError: unknown option --playbook$/);
    assert.throws(() => parseOptions(['--playbooks'], kinds), /^UsageError: --playbooks needs a value$/);
    assert.throws(
      () => parseOptions(['--playbooks', '--json'], kinds),
      /^UsageError: --playbooks needs a value$/,
    );
    assert.throws(() => parseOptions(['--playbooks='], kinds), /^UsageError: --playbooks needs a value$/);
    assert.throws(() => parseOptions(['--json=yes'], kinds), /^UsageError: --json takes no value$/);
    assert.throws(() => parseOptions(['extra'], kinds), /^UsageError: unexpected argument "extra"$/);
    assert.deepEqual(parseOptions(['--playbooks=dir', '--json', 'a.yaml'], kinds, 1), {
      values: { playbooks: 'dir', json: true },
      positionals: ['a.yaml'],
    });
  });
});
