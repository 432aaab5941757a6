import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../cli/dispatch';
import { syntheticEvents } from '../simulator/syntheticEvents';
import { tempDir } from './support/servers';

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('journeys simulate', () => {
  const dir = tempDir('journeys-sim');
  after(() => dir.remove());
  const file = join(dir.path, 'events.ndjson');
  const events = [
    ...syntheticEvents({ customers: 300, days: 30, start: Date.parse('2026-08-01T00:00:00Z') }),
  ];
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');

  it('prints one JSON line per decision and a per-playbook summary, byte-identical on every run', async () => {
    const first = await run(['simulate', '--events', file, '--playbooks', 'playbooks', '--salt', 's']);
    const second = await run(['simulate', '--events', file, '--playbooks', 'playbooks', '--salt', 's']);
    assert.equal(first.code, 0, first.err.join('\n'));
    assert.equal(first.out.join('\n'), second.out.join('\n'));

    const decisions = first.out.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(decisions.length > 100);
    for (const d of decisions) {
      assert.ok(['enter', 'send', 'suppress', 'defer', 'exit', 'holdout'].includes(String(d.action)));
      assert.equal(typeof d.at, 'string');
      assert.equal(d.playbookId, 'cart-abandonment');
    }
    const { summary, events: counted } = JSON.parse(first.out.at(-1)!) as {
      summary: Record<
        string,
        { entries: number; sends: Record<string, number>; exits: Record<string, number> }
      >;
      events: number;
    };
    assert.equal(counted, events.length);
    const cart = summary['cart-abandonment']!;
    assert.equal(cart.entries, decisions.filter((d) => d.action === 'enter').length);
    assert.ok((cart.sends.email ?? 0) > 0, 'some reminders went out');
    assert.ok((cart.exits['goal:order.placed'] ?? 0) > 0, 'some carts were bought before the reminder');
    assert.match(first.err.join('\n'), /events\/s/);
  });

  it('reports a bad line with its number and reason, and still simulates the rest', async () => {
    const bad = join(dir.path, 'bad.ndjson');
    const good = events.slice(0, 50).map((e) => JSON.stringify(e));
    writeFileSync(
      bad,
      [
        ...good.slice(0, 10),
        '{not json',
        JSON.stringify({ ...events[0], eventId: undefined }),
        ...good.slice(10),
      ].join('\n'),
    );
    const result = await run(['simulate', '--events', bad, '--salt', 's']);
    assert.equal(result.code, 1);
    assert.match(result.err.join('\n'), new RegExp(`${bad}:11: invalid JSON`));
    assert.match(result.err.join('\n'), new RegExp(`${bad}:12: eventId: `));
    assert.equal((JSON.parse(result.out.at(-1)!) as { events: number }).events, 50);
  });

  it('--from lets earlier events build profiles without entering runs', async () => {
    const from = '2026-08-20T00:00:00Z';
    const result = await run(['simulate', '--events', file, '--salt', 's', '--from', from]);
    assert.equal(result.code, 0, result.err.join('\n'));
    const decisions = result.out.slice(0, -1).map((l) => JSON.parse(l) as { at: string; action: string });
    assert.ok(decisions.length > 0);
    assert.ok(
      decisions.every((d) => d.at >= from),
      'no decision before --from',
    );
    // Customers created before --from still have their email: their reminders go out.
    assert.ok(decisions.some((d) => d.action === 'send'));
  });

  it('refuses a missing --events with a usage error', async () => {
    const result = await run(['simulate']);
    assert.equal(result.code, 2);
    assert.match(result.err.join('\n'), /--events is required/);
  });
});
