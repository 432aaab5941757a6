import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../cli/dispatch';
import { demoCatalog } from '../tools/demo/offerCatalog';
import { syntheticEvents } from '../simulator/syntheticEvents';
import { threeMistakes, writePlaybook } from './support/playbooks';
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
  const SHIPPED_PLAYBOOKS = [
    'cart-abandonment',
    'post-purchase-offers',
    'browse-abandonment',
    'checkout-abandonment',
    'second-purchase',
    'category-bridge',
    'back-in-stock',
    'price-drop',
    'vip-early-access',
    'store-follow-up',
    'care-tips',
    // The other engineers' playbooks, shipped alongside.
    'replenishment',
    'win-back',
    'renewal-save',
    'seasonal-nudges',
  ];
  const file = join(dir.path, 'events.ndjson');
  const events = [
    ...syntheticEvents({ customers: 300, days: 30, start: Date.parse('2026-08-01T00:00:00Z') }),
  ];
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');

  it('prints one JSON line per decision and a per-playbook summary, byte-identical on every run', async () => {
    const first = await run(['simulate', file, '--playbooks', 'playbooks', '--salt', 's']);
    const second = await run(['simulate', file, '--playbooks', 'playbooks', '--salt', 's']);
    assert.equal(first.code, 0, first.err.join('\n'));
    assert.equal(first.out.join('\n'), second.out.join('\n'));

    const decisions = first.out.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(decisions.length > 100);
    for (const d of decisions) {
      assert.ok(['enter', 'send', 'suppress', 'defer', 'exit', 'holdout'].includes(String(d.action)));
      assert.equal(typeof d.at, 'string');
      assert.ok(SHIPPED_PLAYBOOKS.includes(String(d.playbookId)), String(d.playbookId));
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
    assert.equal(
      cart.entries,
      decisions.filter((d) => d.action === 'enter' && d.playbookId === 'cart-abandonment').length,
    );
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
    const result = await run(['simulate', bad, '--salt', 's']);
    assert.equal(result.code, 1);
    assert.match(result.err.join('\n'), new RegExp(`${bad}:11: invalid JSON`));
    assert.match(result.err.join('\n'), new RegExp(`${bad}:12: eventId: `));
    assert.equal((JSON.parse(result.out.at(-1)!) as { events: number }).events, 50);
  });

  it('--from lets earlier events build profiles without entering runs', async () => {
    const from = '2026-08-20T00:00:00Z';
    const result = await run(['simulate', file, '--salt', 's', '--from', from]);
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

  it('--offers: decideOffer steps choose from the file, as the activity scores; a bad row is reported and left out', async () => {
    const offers = join(dir.path, 'offers.json');
    const catalog = demoCatalog({ ownOffers: 40, partnerOffers: 200, start: '2026-08-01T00:00:00Z' });
    writeFileSync(
      offers,
      JSON.stringify([...catalog, { kind: 'discount', offerId: 'broken', title: 'No amount' }], null, 2),
    );
    const args = ['simulate', file, '--salt', 's', '--offers', offers];
    const first = await run(args);
    assert.equal(first.code, 1, 'a bad row makes the exit code 1');
    assert.match(
      first.err.join('\n'),
      new RegExp(`${offers}:\\d+: discountPercent: a discount needs discountPercent or discountAmount`),
    );
    const decisions = first.out
      .slice(0, -1)
      .map((l) => JSON.parse(l) as { playbookId: string; action: string; offerId?: string });
    const offered = decisions.filter((d) => d.playbookId === 'post-purchase-offers' && d.action === 'send');
    assert.ok(offered.length > 0, 'orders were thanked with an offer');
    const known = new Set(catalog.map((o) => o.offerId));
    assert.ok(offered.every((d) => d.offerId !== undefined && known.has(d.offerId)));
    // Seeded by the decision's key: the same input decides the same offers.
    assert.equal((await run(args)).out.join('\n'), first.out.join('\n'));
    // Without a catalog, the playbook's runs end without an offer rather than guessing one.
    const none = await run(['simulate', file, '--salt', 's']);
    const exits = none.out
      .slice(0, -1)
      .map((l) => JSON.parse(l) as { playbookId: string; action: string; reason?: string })
      .filter((d) => d.playbookId === 'post-purchase-offers' && d.action === 'exit');
    assert.ok(exits.length > 0 && exits.every((d) => d.reason === 'no-offer'));
  });

  it("prints the validator's lines for an invalid playbook, not a stack trace, and exits 1", async () => {
    const playbooks = join(dir.path, 'invalid-playbooks');
    mkdirSync(playbooks);
    const bad = writePlaybook(playbooks, 'bad.yaml', threeMistakes());
    const result = await run(['simulate', file, '--playbooks', playbooks, '--salt', 's']);
    assert.equal(result.code, 1);
    assert.deepEqual(result.out, []);
    assert.deepEqual(result.err, [
      `${bad}: colour: unknown field (not allowed here)`,
      `${bad}: steps[1].next (step "reminder"): step "thank-you" is not defined (the steps are "wait", "reminder")`,
      `${bad}: templates.reminder.sms: "{{trigger.data.cartUrll}}" reads trigger.data.cartUrll, ` +
        'which cart.updated events do not have (did you mean trigger.data.cartUrl?)',
      '3 problems in 1 playbook file: nothing was run; fix them and run again',
    ]);
  });

  it('applies the workspace policy unless --no-policy: under the shipped one, one email a customer a day', async () => {
    const zones = new Map(
      events.flatMap((e) =>
        e.type === 'customer.upserted' && e.data.timezone ? [[e.customerId, e.data.timezone] as const] : [],
      ),
    );
    /** The most emails one customer got on one day of their own calendar. */
    const mostEmailsADay = (out: string[]) => {
      const perDay = new Map<string, number>();
      for (const line of out.slice(0, -1)) {
        const d = JSON.parse(line) as { at: string; customerId: string; action: string; channel?: string };
        if (d.action !== 'send' || d.channel !== 'email') continue;
        const day = new Date(d.at).toLocaleDateString('en-CA', {
          timeZone: zones.get(d.customerId) ?? 'UTC',
        });
        const key = `${d.customerId} ${day}`;
        perDay.set(key, (perDay.get(key) ?? 0) + 1);
      }
      return Math.max(0, ...perDay.values());
    };
    const saved = process.env.POLICY_FILE;
    delete process.env.POLICY_FILE;
    try {
      const live = await run(['simulate', file, '--salt', 's']);
      assert.equal(live.code, 0, live.err.join('\n'));
      assert.equal(mostEmailsADay(live.out), 1);
      assert.equal(
        (JSON.parse(live.out.at(-1)!) as { policy: string }).policy,
        join('policy', 'workspace.yaml'),
      );
      assert.match(live.err.join('\n'), /contact policy policy\/workspace\.yaml/);

      const uncapped = await run(['simulate', file, '--salt', 's', '--no-policy']);
      assert.equal(uncapped.code, 0, uncapped.err.join('\n'));
      assert.ok(mostEmailsADay(uncapped.out) > 1, 'without a policy some customer gets two emails a day');
      assert.equal((JSON.parse(uncapped.out.at(-1)!) as { policy: unknown }).policy, null);
      assert.match(uncapped.err.join('\n'), /no contact policy \(--no-policy\)/);

      // POLICY_FILE names the workspace policy, as for the worker.
      const custom = join(dir.path, 'policy.json');
      writeFileSync(custom, JSON.stringify({ timezone: 'UTC', caps: [] }));
      process.env.POLICY_FILE = custom;
      const fromEnv = await run(['simulate', file, '--salt', 's']);
      assert.equal((JSON.parse(fromEnv.out.at(-1)!) as { policy: string }).policy, custom);
      assert.ok(mostEmailsADay(fromEnv.out) > 1, 'a policy without caps caps nothing');

      const both = await run(['simulate', file, '--policy', custom, '--no-policy']);
      assert.equal(both.code, 2);
      assert.match(both.err.join('\n'), /--policy and --no-policy contradict each other/);
    } finally {
      if (saved === undefined) delete process.env.POLICY_FILE;
      else process.env.POLICY_FILE = saved;
    }
  });

  it('refuses a missing events file with a usage error', async () => {
    const result = await run(['simulate']);
    assert.equal(result.code, 2);
    assert.equal(result.err[0], 'missing <events.ndjson|->');
    assert.match(result.err.at(-1) ?? '', /journeys simulate <events\.ndjson\|->/);
  });

  it('still takes the events file in its older form, --events <file>, with the same output', async () => {
    const positional = await run(['simulate', file, '--salt', 's']);
    const flag = await run(['simulate', '--events', file, '--salt', 's']);
    assert.equal(flag.code, positional.code, flag.err.join('\n'));
    assert.deepEqual(flag.out, positional.out);
    const both = await run(['simulate', file, '--events', file, '--salt', 's']);
    assert.equal(both.code, 2);
    assert.match(
      both.err[0] ?? '',
      /^<events\.ndjson\|-> is given twice .*: give it once, as <events\.ndjson\|->$/,
    );
  });

  it('--help shows the events file as its argument and notes the older --events form', async () => {
    const help = await run(['simulate', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out.join('\n'), /journeys simulate <events\.ndjson\|-> \[--playbooks <dir>\]/);
    assert.match(
      help.out.join('\n'),
      /--events <file\.ndjson\|-> \(the older form of the events argument\) is still accepted/,
    );
  });
});
