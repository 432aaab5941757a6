import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../cli/dispatch';
import type { DemoStoreCatalog } from '../tools/demo/catalog';
import { EventLog } from '../tools/demo/eventLog';
import { InvalidEventError } from '../schemas/events/parse';
import { parseEvent } from '../schemas/events/parse';
import type { JourneyEvent } from '../schemas/events/schema';
import { loadPlaybooks } from '../schemas/playbook/load';
import type { PlaybookSummary } from '../simulator/summary';
import { tempDir } from './support/servers';

/*
 * `journeys demo generate`, seen as a user sees it: the files it writes, and what `journeys
 * simulate` makes of them. A small store keeps it quick; the shares are the default store's.
 */

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const DAY = 86_400_000;
const FILES = ['events.ndjson', 'catalog.json', 'offers.json'];

describe('journeys demo generate', () => {
  const dir = tempDir('journeys-demo');
  after(() => dir.remove());
  const store = (name: string) => join(dir.path, name);
  const generate = (out: string, seed = '7') =>
    run(['demo', 'generate', '--out', out, '--customers', '250', '--seed', seed]);

  let events: JourneyEvent[] = [];
  let catalog: DemoStoreCatalog;

  it('writes the same bytes for the same seed, and other bytes for another seed', async () => {
    const first = await generate(store('a'));
    assert.equal(first.code, 0, first.err.join('\n'));
    assert.match(first.out[0] ?? '', /^wrote \d+ events \(.*order\.placed=\d+.*\) to .*events\.ndjson; /);
    assert.equal((await generate(store('b'))).code, 0);
    assert.equal((await generate(store('c'), '8')).code, 0);
    for (const file of FILES)
      assert.ok(readFileSync(join(store('a'), file)).equals(readFileSync(join(store('b'), file))), file);
    assert.notEqual(
      readFileSync(join(store('a'), 'events.ndjson'), 'utf8'),
      readFileSync(join(store('c'), 'events.ndjson'), 'utf8'),
    );
  });

  it('writes only events that parse, customers first, in time order', () => {
    const lines = readFileSync(join(store('a'), 'events.ndjson'), 'utf8')
      .trimEnd()
      .split('\n');
    events = lines.map((line, i) => {
      try {
        return parseEvent(JSON.parse(line));
      } catch (error) {
        throw new Error(`events.ndjson:${i + 1}: ${(error as Error).message}`);
      }
    });
    const customers = events.findIndex((e) => e.type !== 'customer.upserted');
    assert.equal(customers, 250);
    const times = events.map((e) => Date.parse(e.occurredAt));
    assert.ok(times.every((t, i) => i === 0 || t >= times[i - 1]!));
    const start = Date.parse('2026-09-01T00:00:00Z');
    assert.ok(times[0]! >= start && times[times.length - 1]! < start + 90 * DAY);
    assert.equal(new Set(events.map((e) => e.eventId)).size, events.length);
    catalog = JSON.parse(readFileSync(join(store('a'), 'catalog.json'), 'utf8')) as DemoStoreCatalog;
    assert.ok(catalog.categories.some((c) => c.id === 'running-socks' && c.consumptionCycleDays === 90));
    assert.ok(catalog.products.every((p) => p.cost < p.price));
  });

  it('has every kind of event the playbooks need', () => {
    const types = new Set<string>(events.map((e) => e.type));
    // The engine computes replenishment.due and customer.lapsed itself, from the orders.
    const computed = new Set(['replenishment.due', 'customer.lapsed']);
    const needed = new Set<string>([
      ...loadPlaybooks('playbooks')
        .map((p) => p.trigger.event)
        .filter((t) => !computed.has(t)),
      'product.viewed',
      'cart.updated',
      'checkout.started',
      'order.placed',
      'order.delivered',
      'order.returned',
      'wishlist.added',
      'product.price_dropped',
      'product.back_in_stock',
      'product.stock_changed',
      'product.launched',
      'store.visited',
      'subscription.renewal_due',
      'subscription.renewed',
      'message.engaged',
      'consent.updated',
      'season.started',
    ]);
    assert.deepEqual(
      [...needed].filter((t) => !types.has(t)),
      [],
    );
    const store = events.filter((e) => e.type === 'order.placed' && e.data.salesChannel === 'store');
    assert.ok(store.length > 0, 'store orders');
    const launch = events.find((e) => e.type === 'product.launched');
    assert.ok(launch?.type === 'product.launched' && launch.data.earlyAccessTiers?.includes('platinum'));
  });

  it("reorders consumables at each customer's own pace", () => {
    const cycles = new Map(
      catalog.products.flatMap((p) => (p.consumptionCycleDays ? [[p.sku, p.consumptionCycleDays]] : [])),
    );
    const times = new Map<string, number[]>();
    for (const e of events) {
      if (e.type !== 'order.placed') continue;
      for (const item of e.data.items) {
        if (!cycles.has(item.sku)) continue;
        const key = `${e.customerId}|${item.sku}`;
        times.set(key, [...(times.get(key) ?? []), Date.parse(e.occurredAt)]);
      }
    }
    const paces = new Map<string, number[]>();
    let repeaters = 0;
    for (const [key, at] of times) {
      if (at.length < 3) continue;
      repeaters += 1;
      const sku = key.split('|')[1]!;
      const gaps = at.slice(1).map((t, i) => (t - at[i]!) / DAY);
      // One pace per customer: their gaps differ by the ±8% noise at most, not by chance.
      assert.ok(Math.max(...gaps) / Math.min(...gaps) < 1.2, `${key}: gaps ${gaps.join(', ')}`);
      const pace = gaps.reduce((a, b) => a + b, 0) / gaps.length / cycles.get(sku)!;
      assert.ok(pace > 0.7 && pace < 1.4, `${key}: pace ${pace}`);
      paces.set(sku, [...(paces.get(sku) ?? []), pace]);
    }
    assert.ok(repeaters >= 10, `${repeaters} customers reordered three times or more`);
    // …and customers differ: the same product lasts some of them longer than others.
    const spread = [...paces.values()]
      .filter((p) => p.length >= 3)
      .map((p) => Math.max(...p) - Math.min(...p));
    assert.ok(
      spread.some((s) => s > 0.15),
      `paces spread ${spread.join(', ')}`,
    );
  });

  it('gives every playbook entries and sends under simulate, with caps and priority suppressing some', async () => {
    const a = store('a');
    const result = await run([
      'simulate',
      '--events',
      join(a, 'events.ndjson'),
      '--offers',
      join(a, 'offers.json'),
      '--policy',
      'policy/workspace.yaml',
    ]);
    assert.equal(result.code, 0, result.err.join('\n'));
    const { summary } = JSON.parse(result.out[result.out.length - 1]!) as {
      summary: Record<string, PlaybookSummary>;
    };
    for (const playbook of loadPlaybooks('playbooks')) {
      const s = summary[playbook.id];
      assert.ok(s && s.entries > 0, `${playbook.id}: no entries`);
      const sends = Object.values(s.sends).reduce((a, b) => a + b, 0);
      assert.ok(sends > 0, `${playbook.id}: no sends (${JSON.stringify(s)})`);
    }
    const reasons = Object.values(summary).flatMap((s) => Object.keys(s.suppressions));
    assert.ok(
      reasons.some((r) => r.startsWith('cap:')),
      `no cap suppressions: ${reasons.join(', ')}`,
    );
    assert.ok(
      reasons.some((r) => r.startsWith('priority:')),
      `no priority suppressions: ${reasons.join(', ')}`,
    );
  });

  it('fails loudly on a generator bug, naming the event and the field', () => {
    const log = new EventLog(0, DAY);
    log.customer('order.delivered', 'c-1', 1000, { orderId: '' });
    assert.throws(
      () => log.sorted(),
      (error: unknown) =>
        error instanceof InvalidEventError &&
        /"demo-000000" of type "order.delivered"/.test(error.message) &&
        /data\.orderId/.test(error.message),
    );
  });
});
