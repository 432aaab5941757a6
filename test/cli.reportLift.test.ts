import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startFerretDb, type FerretDb } from '../devstack/ferretdb';
import { freePort } from '../devstack/net';
import type { JourneyEvent } from '../events/schema';
import { aggregateArms, syntheticPopulation, type SyntheticCustomer } from '../measure/synthetic';
import { Playbook } from '../playbooks/schema';
import { collections, ensureIndexes, type EntryRecord, type EventRecord } from '../store/collections';
import {
  activate,
  ensurePlaybookIndexes,
  playbookCollections,
  publishVersion,
} from '../store/playbookVersions';
import { cartPlaybook } from './support/playbooks';
import { tempDir } from './support/servers';
import { runCli, type CliRun } from './support/cli';

/*
 * `journeys report lift` on the real MongoDB-wire server (FerretDB, or MONGODB_URI): entries and
 * events for synthetic populations with a known effect are written as the engine writes them, and
 * the CLI runs as a user runs it. One playbook has a true lift of +20%, the other none.
 */

const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T00:00:00Z');
const KNOWN = 'lift-known';
const NONE = 'lift-none';

const iso = (ms: number) => new Date(ms).toISOString();

function record(payload: JourneyEvent): EventRecord {
  const occurredAt = new Date(payload.occurredAt);
  return {
    eventId: payload.eventId,
    type: payload.type,
    ...('customerId' in payload && { customerId: payload.customerId }),
    occurredAt,
    receivedAt: occurredAt,
    status: 'routed',
    payload,
  };
}

function order(id: string, customerId: string, at: number, total: number, cartId: string): EventRecord {
  return record({
    type: 'order.placed',
    eventId: id,
    customerId,
    occurredAt: iso(at),
    data: {
      orderId: id,
      items: [{ sku: 'SKU-1', category: 'apparel', price: total, quantity: 1 }],
      total,
      currency: 'EUR',
      channel: 'online',
      cartId,
    },
  });
}

/**
 * One playbook's population as the engine records it: an entry (from a cart event) per customer,
 * an order a day later for those who convert, and traps that must not count: an order after the
 * window, a later re-entry in the other arm, an order for a different cart (revenue, but not the
 * conversion when the metric matches the trigger's cart), and consent changes.
 */
function recordsFor(playbookId: string, population: readonly SyntheticCustomer[], otherCartOrders: boolean) {
  const entries: EntryRecord[] = [];
  const events: EventRecord[] = [];
  const extraRevenue = { treatment: [] as number[], control: [] as number[] };
  const unsubscribes = { treatment: 0, control: 0 };
  population.forEach((customer, i) => {
    const { customerId, arm } = customer;
    const enteredAt = T0 + i * 60_000;
    const entry = (eventId: string, at: number, entryArm: EntryRecord['arm']): EntryRecord => ({
      journeyId: `journey:${playbookId}:${customerId}`,
      playbookId,
      playbookVersion: 1,
      playbookLabel: 'v1@000000000000',
      customerId,
      entryEventId: eventId,
      arm: entryArm,
      enteredAt: new Date(at),
    });
    const cartId = `cart-${customerId}`;
    const trigger = `${playbookId}-entry-${customerId}`;
    events.push(
      record({
        type: 'cart.updated',
        eventId: trigger,
        customerId,
        occurredAt: iso(enteredAt),
        data: { cartId, currency: 'EUR', items: [{ sku: 'SKU-1', name: 'Tee', quantity: 1, unitPrice: 20 }] },
      }),
    );
    entries.push(entry(trigger, enteredAt, arm));
    if (customer.converted)
      events.push(
        order(`${playbookId}-order-${customerId}`, customerId, enteredAt + DAY, customer.revenue, cartId),
      );
    if (i % 10 === 3) {
      events.push(order(`${playbookId}-late-${customerId}`, customerId, enteredAt + 8 * DAY, 99, cartId));
      const again = `${playbookId}-again-${customerId}`;
      events.push(
        record({
          type: 'cart.updated',
          eventId: again,
          customerId,
          occurredAt: iso(enteredAt + 9 * DAY),
          data: {
            cartId,
            currency: 'EUR',
            items: [{ sku: 'SKU-1', name: 'Tee', quantity: 1, unitPrice: 20 }],
          },
        }),
      );
      entries.push(entry(again, enteredAt + 9 * DAY, arm === 'treatment' ? 'control' : 'treatment'));
    }
    if (otherCartOrders && !customer.converted && i % 7 === 0) {
      events.push(
        order(
          `${playbookId}-other-${customerId}`,
          customerId,
          enteredAt + 2 * DAY,
          10,
          `other-${customerId}`,
        ),
      );
      extraRevenue[arm].push(10);
    }
    if (i % 50 === 1 || i % 50 === 2) {
      events.push(
        record({
          type: 'consent.updated',
          eventId: `${playbookId}-consent-${customerId}`,
          customerId,
          occurredAt: iso(enteredAt + 3 * DAY),
          data: { channel: 'email', purpose: 'marketing', granted: i % 50 === 2 },
        }),
      );
      if (i % 50 === 1) unsubscribes[arm] += 1;
    }
  });
  return { entries, events, extraRevenue, unsubscribes };
}

describe('journeys report lift', () => {
  const dir = tempDir('journeys-lift');
  let ferret: FerretDb | undefined;
  let mongo: MongoClient;
  let uri: string;
  let db: Db;
  const known = syntheticPopulation({
    seed: 11,
    customers: 4000,
    controlShare: 0.5,
    controlRate: 0.25,
    treatmentRate: 0.3,
  });
  const none = syntheticPopulation({
    seed: 12,
    customers: 3000,
    controlShare: 0.5,
    controlRate: 0.25,
    treatmentRate: 0.25,
  });
  const knownRecords = recordsFor(KNOWN, known, false);
  const noneRecords = recordsFor(NONE, none, true);

  function journeys(...args: string[]): Promise<CliRun> {
    return runCli(['report', 'lift', ...args], { uri, db: db.databaseName });
  }

  before(async () => {
    uri =
      process.env.MONGODB_URI ||
      (ferret = await startFerretDb({ dataDir: dir.path, port: await freePort() })).uri;
    mongo = await MongoClient.connect(uri);
    db = mongo.db(`test_lift_${Date.now()}`);
    await ensureIndexes(db);
    await ensurePlaybookIndexes(db);
    const store = playbookCollections(db);
    for (const [id, metric] of [
      [KNOWN, { event: 'order.placed' }],
      // Only the order for the cart that entered the run counts: the metric is matched to the trigger.
      [NONE, { event: 'order.placed', matchTriggerOn: 'data.cartId' }],
    ] as const) {
      await publishVersion(
        store,
        Playbook.parse({ ...cartPlaybook(), id, success: { metric, window: '7d' } }),
        new Date(),
      );
      await activate(store, id, new Date());
    }
    const { entries, events } = collections(db);
    for (const records of [knownRecords, noneRecords]) {
      await entries.insertMany(records.entries);
      await events.insertMany(records.events);
    }
  });
  after(async () => {
    await mongo?.close();
    await ferret?.stop();
    dir.remove();
  });

  it('reports the counts, rates and an interval that contains the true lift of +20%', async () => {
    const chart = join(dir.path, 'lift.svg');
    const run = await journeys('--chart', chart);
    assert.equal(run.code, 0, run.stderr);
    const expected = aggregateArms(known);
    const text = run.stdout;
    const block = text.slice(text.indexOf(`${KNOWN} — `), text.indexOf(`${NONE} — `));
    const cells = (label: string) => {
      const line = block.split('\n').find((l) => l.startsWith(`  ${label.padEnd(26)}`));
      assert.ok(line, `no "${label}" line in\n${block}`);
      return line
        .slice(28)
        .trim()
        .split(/\s{2,}/);
    };
    const pct = (x: number, n: number) => `${((x / n) * 100).toFixed(2)}%`;
    assert.deepEqual(
      cells('customers'),
      [expected.treatment.customers, expected.control.customers].map((n) => n.toLocaleString('en-US')),
    );
    assert.deepEqual(cells('conversions'), [
      String(expected.treatment.conversions),
      String(expected.control.conversions),
    ]);
    assert.deepEqual(cells('conversion rate'), [
      pct(expected.treatment.conversions, expected.treatment.customers),
      pct(expected.control.conversions, expected.control.customers),
    ]);
    assert.deepEqual(cells('unsubscribe rate'), [
      pct(knownRecords.unsubscribes.treatment, expected.treatment.customers),
      pct(knownRecords.unsubscribes.control, expected.control.customers),
    ]);
    assert.match(block, /conversion lift +\+\d+\.\d% \[95% CI [+-]?\d+\.\d%, \+\d+\.\d%\]/);
    assert.match(block, /discount cost +n\/a \(offers not recorded yet\)/);
    assert.match(block, /partner revenue +n\/a \(offers not recorded yet\)/);
    assert.match(block, /verdict +significant/);
    assert.match(text, new RegExp(`${NONE} — [^]*verdict +not significant`));

    assert.ok(existsSync(chart), 'the chart is written');
    const svg = readFileSync(chart, 'utf8');
    assert.match(svg, /^<svg /);
    assert.ok(svg.includes(`>${KNOWN}</text>`) && svg.includes(`>${NONE}</text>`));
    assert.match(svg, /not significant/);
  });

  it('--json gives the same numbers: the interval covers +20%, revenue is attributed by window', async () => {
    const run = await journeys('--json');
    assert.equal(run.code, 0, run.stderr);
    const reports = JSON.parse(run.stdout) as {
      playbookId: string;
      arms: Record<'treatment' | 'control', { customers: number; conversions: number; revenue: number }>;
      conversionLift: { value: number; interval: { low: number; high: number } };
      verdict: string;
      discountCost: string;
    }[];
    assert.deepEqual(
      reports.map((r) => r.playbookId),
      [KNOWN, NONE],
    );
    const [k, n] = reports as [(typeof reports)[0], (typeof reports)[0]];
    const { low, high } = k.conversionLift.interval;
    assert.ok(low <= 0.2 && 0.2 <= high, `[${low}, ${high}] misses the true +20%`);
    assert.equal(k.verdict, 'significant');
    assert.equal(n.verdict, 'not significant');
    assert.equal(k.discountCost, 'n/a (offers not recorded yet)');

    // The metric matched to the trigger's cart: an order for another cart is revenue, not a conversion.
    const expected = aggregateArms(none);
    for (const arm of ['treatment', 'control'] as const) {
      assert.equal(n.arms[arm].customers, expected[arm].customers);
      assert.equal(n.arms[arm].conversions, expected[arm].conversions);
      const extra = noneRecords.extraRevenue[arm].reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(n.arms[arm].revenue - (expected[arm].revenue + extra)) < 1e-6, arm);
    }
  });

  it('--playbook and --from/--to narrow the entries; an empty range says so', async () => {
    const one = await journeys('--playbook', NONE, '--json');
    assert.deepEqual(
      (JSON.parse(one.stdout) as { playbookId: string }[]).map((r) => r.playbookId),
      [NONE],
    );
    // The first 100 minutes: the first 100 customers of each playbook, re-entries are later.
    const early = await journeys(
      '--playbook',
      KNOWN,
      '--from',
      iso(T0),
      '--to',
      iso(T0 + 100 * 60_000),
      '--json',
    );
    const [report] = JSON.parse(early.stdout) as { arms: Record<string, { customers: number }> }[];
    assert.equal(report!.arms.treatment!.customers + report!.arms.control!.customers, 100);
    const empty = await journeys('--from', '2030-01-01');
    assert.equal(empty.code, 0);
    assert.match(empty.stdout, /no entries in the range/);
    const bad = await journeys('--from', 'yesterday');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--from: "yesterday" is not an ISO date/);
  });
});
