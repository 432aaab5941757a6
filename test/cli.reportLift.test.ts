import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startFerretDb, type FerretDb } from '../tools/devstack/ferretdb';
import { freePort } from '../tools/devstack/net';
import type { JourneyEvent } from '../schemas/events/schema';
import { aggregateArms, syntheticPopulation, type SyntheticCustomer } from '../engine/measurement/synthetic';
import { Offer } from '../schemas/offers/schema';
import { Playbook } from '../schemas/playbook/schema';
import { collections, ensureIndexes, type EntryRecord, type EventRecord } from '../store/collections';
import { upsertOffers } from '../store/offers';
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
 * the CLI runs as a user runs it. One playbook has a true lift of +20%, the other none; a third,
 * five customers small, has offers whose cost, margin and partner revenue are checked to the cent.
 */

const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T00:00:00Z');
const KNOWN = 'lift-known';
const NONE = 'lift-none';
const OFFERS = 'lift-offers';
/** Entered, but never published: nothing can be attributed without a success window. */
const UNPUBLISHED = 'lift-unpublished';

const iso = (ms: number) => new Date(ms).toISOString();
const money = (n: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

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

type OrderItem = Extract<JourneyEvent, { type: 'order.placed' }>['data']['items'][number];

/** An order of one item priced at its total plus the discount: goods before the discount. */
function order(
  id: string,
  customerId: string,
  at: number,
  total: number,
  cartId: string,
  offer: { discount?: number; cost?: number } = {},
): EventRecord {
  const price = total + (offer.discount ?? 0);
  return basketOrder(
    id,
    customerId,
    at,
    total,
    [
      {
        sku: 'SKU-1',
        category: 'apparel',
        price,
        quantity: 1,
        ...(offer.cost !== undefined && { cost: offer.cost }),
      },
    ],
    { cartId, ...(offer.discount !== undefined && { discount: offer.discount }) },
  );
}

function basketOrder(
  id: string,
  customerId: string,
  at: number,
  total: number,
  items: OrderItem[],
  extra: { cartId?: string; discount?: number; offerIds?: string[] } = {},
): EventRecord {
  return record({
    type: 'order.placed',
    eventId: id,
    customerId,
    occurredAt: iso(at),
    data: { orderId: id, items, total, currency: 'EUR', salesChannel: 'online', ...extra },
  });
}

function engaged(
  id: string,
  customerId: string,
  at: number,
  kind: 'opened' | 'clicked' | 'converted',
  offerId: string,
): EventRecord {
  return record({
    type: 'message.engaged',
    eventId: id,
    customerId,
    occurredAt: iso(at),
    data: { messageId: `msg-${customerId}`, kind, offerId },
  });
}

function entry(
  playbookId: string,
  customerId: string,
  eventId: string,
  at: number,
  arm: EntryRecord['arm'],
): EntryRecord {
  return {
    journeyId: `journey:${playbookId}:${customerId}`,
    playbookId,
    playbookVersion: 1,
    playbookLabel: 'v1@000000000000',
    customerId,
    entryEventId: eventId,
    arm,
    enteredAt: new Date(at),
  };
}

function cartEvent(eventId: string, customerId: string, at: number, cartId: string): EventRecord {
  return record({
    type: 'cart.updated',
    eventId,
    customerId,
    occurredAt: iso(at),
    data: { cartId, currency: 'EUR', items: [{ sku: 'SKU-1', name: 'Tee', quantity: 1, price: 20 }] },
  });
}

/** The workspace's cost ratios for this test (POLICY_FILE): socks have their own, the rest 60%. */
const POLICY = { offers: { defaultCostRatio: 0.6, costRatios: { socks: 0.5 } } };
const CATALOG = [
  {
    kind: 'partner',
    offerId: 'P-CPC',
    title: 'Socks by Brand',
    brand: 'Brand',
    category: 'socks',
    payoutModel: 'cpc',
    payout: 0.5,
  },
  {
    kind: 'partner',
    offerId: 'P-CPA',
    title: 'Bottle by Brand',
    brand: 'Brand',
    category: 'bottles',
    payoutModel: 'cpa',
    payout: 4,
  },
  { kind: 'discount', offerId: 'OWN-10', title: '10 off', discountAmount: 10 },
].map((offer) => Offer.parse(offer));

/**
 * Five customers whose figures are worked out by hand (cost ratios: socks 0.5, others 0.6):
 * - t1 (treatment) orders 2 shoes at 50 (cost 20 each) and socks at 30 (no cost: 15), total 125
 *   with a discount of 10: margin 130 − 55 − 10 = 65;
 * - t2 (treatment) orders a bag at 40 (no cost: 24): margin 16. Engagements: a click on the cpc
 *   partner offer (0.50) and a conversion on the cpa one (4.00) earn; an open, a click on the cpa
 *   offer, a conversion on the cpc one, a click on the shop's own offer and a click 8 days after
 *   entry earn nothing; a click on an offer missing from the catalog is noted, not counted;
 * - t3 (treatment) orders only after the window (discount 50, not counted);
 * - c1 (control) orders a shoe at 60 (cost 30): margin 30;
 * - c2 (control) clicks the cpc offer (0.50): computed as for treatment.
 */
function offerRecords() {
  const entries: EntryRecord[] = [];
  const events: EventRecord[] = [];
  const at = (k: number) => T0 + k * 60_000;
  (['t1', 't2', 't3', 'c1', 'c2'] as const).forEach((name, k) => {
    const customerId = `o-${name}`;
    events.push(cartEvent(`${OFFERS}-entry-${name}`, customerId, at(k), `cart-${customerId}`));
    entries.push(
      entry(
        OFFERS,
        customerId,
        `${OFFERS}-entry-${name}`,
        at(k),
        name.startsWith('t') ? 'treatment' : 'control',
      ),
    );
  });
  const shoes = { sku: 'SHOE', category: 'shoes' };
  events.push(
    basketOrder(
      `${OFFERS}-o1`,
      'o-t1',
      at(0) + DAY,
      125,
      [
        { ...shoes, price: 50, quantity: 2, cost: 20 },
        { sku: 'SOCK', category: 'socks', price: 30, quantity: 1 },
      ],
      { discount: 10, offerIds: ['OWN-10'] },
    ),
    basketOrder(`${OFFERS}-o2`, 'o-t2', at(1) + DAY, 40, [
      { sku: 'BAG', category: 'bags', price: 40, quantity: 1 },
    ]),
    engaged(`${OFFERS}-e1`, 'o-t2', at(1) + 3_600_000, 'clicked', 'P-CPC'),
    engaged(`${OFFERS}-e2`, 'o-t2', at(1) + DAY, 'converted', 'P-CPA'),
    engaged(`${OFFERS}-e3`, 'o-t2', at(1) + 60_000, 'opened', 'P-CPC'),
    engaged(`${OFFERS}-e4`, 'o-t2', at(1) + 120_000, 'clicked', 'P-CPA'),
    engaged(`${OFFERS}-e5`, 'o-t2', at(1) + 180_000, 'converted', 'P-CPC'),
    engaged(`${OFFERS}-e6`, 'o-t2', at(1) + 240_000, 'clicked', 'OWN-10'),
    engaged(`${OFFERS}-e7`, 'o-t2', at(1) + 8 * DAY, 'clicked', 'P-CPC'),
    engaged(`${OFFERS}-e8`, 'o-t2', at(1) + 300_000, 'clicked', 'GONE-1'),
    basketOrder(`${OFFERS}-o3`, 'o-t3', at(2) + 8 * DAY, 50, [{ ...shoes, price: 100, quantity: 1 }], {
      discount: 50,
    }),
    basketOrder(`${OFFERS}-o4`, 'o-c1', at(3) + DAY, 60, [{ ...shoes, price: 60, quantity: 1, cost: 30 }]),
    engaged(`${OFFERS}-e9`, 'o-c2', at(4) + 3_600_000, 'clicked', 'P-CPC'),
  );
  entries.push(entry(UNPUBLISHED, 'o-t1', `${OFFERS}-entry-t1`, at(0), 'treatment'));
  return { entries, events };
}

/**
 * One playbook's population as the engine records it: an entry (from a cart event) per customer,
 * an order a day later for those who convert, and traps that must not count: an order after the
 * window (with a discount), a later re-entry in the other arm, an order for a different cart
 * (revenue, but not the conversion when the metric matches the trigger's cart), and consent
 * changes. With `offers`, some orders carry a discount of 5 and some items their own cost (30% of
 * price); the rest are valued at the default 60%. The expected discounts and margins are kept.
 */
function recordsFor(
  playbookId: string,
  population: readonly SyntheticCustomer[],
  options: { otherCartOrders: boolean; offers: boolean },
) {
  const entries: EntryRecord[] = [];
  const events: EventRecord[] = [];
  const extraRevenue = { treatment: [] as number[], control: [] as number[] };
  const unsubscribes = { treatment: 0, control: 0 };
  const economics = { treatment: { discount: 0, margin: 0 }, control: { discount: 0, margin: 0 } };
  population.forEach((customer, i) => {
    const { customerId, arm } = customer;
    const enteredAt = T0 + i * 60_000;
    const cartId = `cart-${customerId}`;
    const trigger = `${playbookId}-entry-${customerId}`;
    const counted = (total: number, offer: { discount?: number; cost?: number }) => {
      const price = total + (offer.discount ?? 0);
      economics[arm].discount += offer.discount ?? 0;
      economics[arm].margin += price - (offer.cost ?? 0.6 * price) - (offer.discount ?? 0);
      return offer;
    };
    events.push(cartEvent(trigger, customerId, enteredAt, cartId));
    entries.push(entry(playbookId, customerId, trigger, enteredAt, arm));
    if (customer.converted) {
      const discount = options.offers && i % 4 === 0 ? 5 : undefined;
      const price = customer.revenue + (discount ?? 0);
      const cost = options.offers && i % 3 === 0 ? Math.round(price * 30) / 100 : undefined;
      const offer = {
        ...(discount !== undefined && { discount }),
        ...(cost !== undefined && { cost }),
      };
      events.push(
        order(
          `${playbookId}-order-${customerId}`,
          customerId,
          enteredAt + DAY,
          customer.revenue,
          cartId,
          counted(customer.revenue, offer),
        ),
      );
    }
    if (i % 10 === 3) {
      events.push(
        order(`${playbookId}-late-${customerId}`, customerId, enteredAt + 8 * DAY, 99, cartId, {
          discount: 20,
        }),
      );
      const again = `${playbookId}-again-${customerId}`;
      events.push(cartEvent(again, customerId, enteredAt + 9 * DAY, cartId));
      entries.push(
        entry(
          playbookId,
          customerId,
          again,
          enteredAt + 9 * DAY,
          arm === 'treatment' ? 'control' : 'treatment',
        ),
      );
    }
    if (options.otherCartOrders && !customer.converted && i % 7 === 0) {
      events.push(
        order(
          `${playbookId}-other-${customerId}`,
          customerId,
          enteredAt + 2 * DAY,
          10,
          `other-${customerId}`,
          counted(10, {}),
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
  return { entries, events, extraRevenue, unsubscribes, economics };
}

type Estimate = { value: number; interval?: { low: number; high: number } } | { na: string };
type Arms<T> = Record<'treatment' | 'control', T>;
interface JsonReport {
  playbookId: string;
  arms: Arms<{ customers: number; conversions: number; revenue: number }>;
  conversionLift: { value: number; interval: { low: number; high: number } };
  verdict: string;
  discountCost: Arms<{ total: number; perCustomer: Estimate }>;
  marginAfterDiscount: Arms<{ total: number; perCustomer: Estimate; shareOfRevenue: Estimate }> & {
    incrementalPerCustomer: Estimate;
  };
  partnerRevenue: Arms<number> & { total: number };
  unpricedEngagements: number;
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
  const knownRecords = recordsFor(KNOWN, known, { otherCartOrders: false, offers: true });
  const noneRecords = recordsFor(NONE, none, { otherCartOrders: true, offers: false });
  const policyFile = join(dir.path, 'policy.json');
  const savedPolicyFile = process.env.POLICY_FILE;

  const chart = join(dir.path, 'lift.svg');

  /** The CLI in its own process, which reads POLICY_FILE as set here (the test's cost ratios). */
  function journeys(...args: string[]): Promise<CliRun> {
    return runCli(['report', 'lift', ...args], { uri, db: db.databaseName });
  }
  // The full report takes seconds: run once as text and once as JSON, read by several tests.
  let fullText: Promise<CliRun> | undefined;
  let fullJson: Promise<CliRun> | undefined;
  const reportText = () => (fullText ??= journeys('--chart', chart));
  const reportJson = () => (fullJson ??= journeys('--json'));
  /** One playbook's lines of the text report: from its title to the blank line after it. */
  const blockOf = (text: string, playbookId: string) => {
    const start = text.indexOf(`${playbookId} — `);
    assert.ok(start >= 0, `no ${playbookId} in\n${text}`);
    const end = text.indexOf('\n\n', start);
    return text.slice(start, end < 0 ? undefined : end).split('\n');
  };

  before(async () => {
    writeFileSync(policyFile, JSON.stringify(POLICY));
    process.env.POLICY_FILE = policyFile;
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
      [NONE, { event: 'order.placed', matchTriggerOn: 'event.data.cartId' }],
    ] as const) {
      await publishVersion(
        store,
        Playbook.parse({ ...cartPlaybook(), id, success: { metric, window: '7d' } }),
        new Date(),
      );
      await activate(store, id, new Date());
    }
    await publishVersion(
      store,
      Playbook.parse({
        ...cartPlaybook(),
        id: OFFERS,
        success: { metric: { event: 'order.placed' }, window: '7d' },
      }),
      new Date(),
    );
    await activate(store, OFFERS, new Date());
    const { entries, events, offers } = collections(db);
    for (const records of [knownRecords, noneRecords, offerRecords()]) {
      await entries.insertMany(records.entries);
      await events.insertMany(records.events);
    }
    await upsertOffers(offers, CATALOG);
    // Stored as before the rollup existed: the report counts them once it is rebuilt.
    const rebuilt = await journeys('--rebuild', '--playbook', 'nothing-yet');
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.match(rebuilt.stderr, /rebuilt the lift rollup from 7,706 entries/);
  });
  after(async () => {
    if (savedPolicyFile === undefined) delete process.env.POLICY_FILE;
    else process.env.POLICY_FILE = savedPolicyFile;
    await mongo?.close();
    await ferret?.stop();
    dir.remove();
  });

  it('reports the counts, rates and an interval that contains the true lift of +20%', async () => {
    const run = await reportText();
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
    const { treatment, control } = knownRecords.economics;
    assert.deepEqual(cells('discount cost'), [money(treatment.discount), money(control.discount)]);
    assert.deepEqual(cells('partner revenue'), ['0.00', '0.00']);
    assert.match(block, /verdict +significant/);
    assert.match(text, new RegExp(`${NONE} — [^]*verdict +not significant`));

    assert.ok(existsSync(chart), 'the chart is written');
    const svg = readFileSync(chart, 'utf8');
    assert.match(svg, /^<svg /);
    assert.ok(svg.includes(`>${KNOWN}</text>`) && svg.includes(`>${NONE}</text>`));
    assert.match(svg, /not significant/);
  });

  it('--json gives the same numbers: the interval covers +20%, revenue is attributed by window', async () => {
    const run = await reportJson();
    assert.equal(run.code, 0, run.stderr);
    const reports = JSON.parse(run.stdout) as JsonReport[];
    assert.deepEqual(
      reports.map((r) => r.playbookId),
      [KNOWN, NONE, OFFERS, UNPUBLISHED],
    );
    const [k, n] = reports as [(typeof reports)[0], (typeof reports)[0]];
    const { low, high } = k.conversionLift.interval;
    assert.ok(low <= 0.2 && 0.2 <= high, `[${low}, ${high}] misses the true +20%`);
    assert.equal(k.verdict, 'significant');
    assert.equal(n.verdict, 'not significant');
    // Discounts and margins of orders in the window only; the late orders' discounts never count.
    const near = (actual: number, expected: number, what: string) =>
      assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} ≠ ${expected}`);
    for (const [report, records] of [
      [k, knownRecords],
      [n, noneRecords],
    ] as const)
      for (const arm of ['treatment', 'control'] as const) {
        near(
          report.discountCost[arm].total,
          records.economics[arm].discount,
          `${report.playbookId} ${arm} discount`,
        );
        near(
          report.marginAfterDiscount[arm].total,
          records.economics[arm].margin,
          `${report.playbookId} ${arm} margin`,
        );
        assert.equal(report.partnerRevenue[arm], 0);
      }

    // The metric matched to the trigger's cart: an order for another cart is revenue, not a conversion.
    const expected = aggregateArms(none);
    for (const arm of ['treatment', 'control'] as const) {
      assert.equal(n.arms[arm].customers, expected[arm].customers);
      assert.equal(n.arms[arm].conversions, expected[arm].conversions);
      const extra = noneRecords.extraRevenue[arm].reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(n.arms[arm].revenue - (expected[arm].revenue + extra)) < 1e-6, arm);
    }
  });

  it('--playbook and --from/--to (whole UTC days) narrow the entries; an empty range says so', async () => {
    const one = await journeys('--playbook', NONE, '--json');
    assert.deepEqual(
      (JSON.parse(one.stdout) as { playbookId: string }[]).map((r) => r.playbookId),
      [NONE],
    );
    // The first day: the first 1,440 customers of each playbook (one a minute), re-entries are later.
    const early = await journeys('--playbook', KNOWN, '--from', iso(T0), '--to', iso(T0 + DAY), '--json');
    const [report] = JSON.parse(early.stdout) as { arms: Record<string, { customers: number }> }[];
    assert.equal(report!.arms.treatment!.customers + report!.arms.control!.customers, 1440);
    // From the day re-entries begin, a re-entering customer counts by the re-entry, in its arm.
    const reentries = known.filter((_, i) => i % 10 === 3);
    const late = await journeys('--playbook', KNOWN, '--from', iso(T0 + 9 * DAY), '--json');
    const [again] = JSON.parse(late.stdout) as { arms: Record<string, { customers: number }> }[];
    assert.deepEqual(
      [again!.arms.treatment!.customers, again!.arms.control!.customers],
      [
        reentries.filter((c) => c.arm === 'control').length,
        reentries.filter((c) => c.arm === 'treatment').length,
      ],
    );
    const inside = await journeys('--from', iso(T0 + 100 * 60_000));
    assert.equal(inside.code, 2);
    assert.match(inside.stderr, /is not the start of a UTC day; the lift report counts entries by UTC day/);
    const empty = await journeys('--from', '2030-01-01');
    assert.equal(empty.code, 0);
    assert.match(empty.stdout, /no entries in the range/);
    const bad = await journeys('--from', 'yesterday');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--from: "yesterday" is not an ISO date/);
  });

  it('prints discount cost, margin after discount and partner revenue to the cent', async () => {
    const lines = blockOf((await reportText()).stdout, OFFERS).filter((line) =>
      /discount|margin|partner|revenue per|note/.test(line),
    );
    assert.deepEqual(lines, [
      '  revenue per customer               55.00         30.00',
      '  discount cost                      10.00          0.00',
      '  discount cost per customer          3.33          0.00',
      '  margin after discount              81.00         30.00',
      '  margin per customer                27.00         15.00',
      '  margin share of revenue           49.09%        50.00%',
      '  partner revenue                     4.50          0.50',
      '  revenue per customer lift +25.00 [95% CI -129.23, +179.23] (+83.3%)',
      // Margins 65, 16, 0 against 30, 0: Welch's df ≈ 2.98, so t ≈ 3.20 and a wide interval.
      '  margin per customer lift  +12.00 [95% CI -66.94, +90.94]',
      '  partner revenue, total    5.00',
      '  note: partner revenue leaves out 1 click or conversion on offers not in the catalog',
    ]);

    const report = (JSON.parse((await reportJson()).stdout) as JsonReport[]).find(
      (r) => r.playbookId === OFFERS,
    );
    assert.ok(report);
    assert.deepEqual(report.discountCost, {
      treatment: { total: 10, perCustomer: { value: 10 / 3 } },
      control: { total: 0, perCustomer: { value: 0 } },
    });
    const { incrementalPerCustomer, ...margins } = report.marginAfterDiscount;
    assert.deepEqual(margins, {
      treatment: { total: 81, perCustomer: { value: 27 }, shareOfRevenue: { value: 81 / 165 } },
      control: { total: 30, perCustomer: { value: 15 }, shareOfRevenue: { value: 0.5 } },
    });
    assert.ok('value' in incrementalPerCustomer && incrementalPerCustomer.interval);
    assert.equal(incrementalPerCustomer.value, 12);
    assert.deepEqual(report.partnerRevenue, { treatment: 4.5, control: 0.5, total: 5 });
    assert.equal(report.unpricedEngagements, 1);
  });

  it('says why nothing can be attributed without a definition, and refuses a bad policy file', async () => {
    const block = blockOf((await reportText()).stdout, UNPUBLISHED);
    const why = 'no published definition, so no success metric';
    assert.ok(block.includes(`  ${'discount cost'.padEnd(26)}${'n/a'.padStart(14)}${'n/a'.padStart(14)}`));
    assert.ok(block.includes(`  margin per customer lift  n/a (${why})`), block.join('\n'));
    assert.ok(block.includes(`  partner revenue, total    n/a (${why})`), block.join('\n'));
    const report = (JSON.parse((await reportJson()).stdout) as JsonReport[]).find(
      (r) => r.playbookId === UNPUBLISHED,
    );
    assert.deepEqual(report?.discountCost, { na: why });

    const bad = join(dir.path, 'bad-policy.yaml');
    writeFileSync(bad, 'offers:\n  defaultCostRatio: 1.5\n');
    process.env.POLICY_FILE = bad;
    try {
      const refused = await journeys('--playbook', OFFERS);
      assert.equal(refused.code, 1);
      assert.equal(refused.stdout, '');
      assert.deepEqual(refused.err, [
        `${bad}: offers.defaultCostRatio: must be at most 1`,
        'nothing reported: margins need the cost ratios of a valid workspace policy (POLICY_FILE)',
      ]);
    } finally {
      process.env.POLICY_FILE = policyFile;
    }
  });
});
