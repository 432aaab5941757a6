import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startFerretDb, type FerretDb } from '../tools/devstack/ferretdb';
import { freePort } from '../tools/devstack/net';
import { generateDemoStore } from '../tools/demo/generate';
import { murmur3 } from '../engine/ids/hash';
import {
  firstEntries,
  noOutcome,
  offerPayout,
  tallyPlaybook,
  type LiftEntry,
  type LiftEvent,
  type PlaybookLiftData,
} from '../engine/measurement/liftTally';
import type { OfferPayout } from '../engine/measurement/orderEconomics';
import { JourneyEvent } from '../schemas/events/schema';
import { Playbook } from '../schemas/playbook/schema';
import { collections, ensureIndexes, type EntryRecord, type EventRecord } from '../store/collections';
import { DEFAULT_COST_MODEL, keptEntries, LiftMaintainer } from '../store/liftAttributions';
import { liftData, type LiftQuery } from '../store/liftData';
import { runMigrations } from '../store/migrations';
import { upsertOffers } from '../store/offers';
import {
  activate,
  ensurePlaybookIndexes,
  playbookCollections,
  publishVersion,
} from '../store/playbookVersions';
import { cartPlaybook } from './support/playbooks';
import { tempDir } from './support/servers';

/*
 * The lift rollup on the real MongoDB-wire server (FerretDB, or MONGODB_URI): a demo store's
 * events and the entries their carts make are routed through LiftMaintainer as the router routes
 * them (late, out of order, some twice), and the report read from the cells must equal the batch
 * tally (tallyPlaybook over the same entries and events, as the report used to count) for whole
 * days' ranges. A database holding only entries and events (from before the rollup) gets the same
 * answer once migrated.
 */

const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T00:00:00Z');
/** The migration values margins at the shipped cost ratios; the live path here does the same. */
const COST_MODEL = DEFAULT_COST_MODEL;

const PLAYBOOKS = [
  Playbook.parse({
    ...cartPlaybook(),
    id: 'roll-orders',
    success: { metric: { event: 'order.placed' }, window: '3d' },
  }),
  Playbook.parse({
    ...cartPlaybook(),
    id: 'roll-checkout',
    success: { metric: { event: 'checkout.started', matchTriggerOn: 'event.data.cartId' }, window: '2d' },
  }),
];

/** A seeded number in [0, 1) for a label: the scenario is the same on every run. */
const chance = (label: string) => murmur3(label, 16) / 2 ** 32;

function record(event: JourneyEvent): EventRecord {
  const occurredAt = new Date(event.occurredAt);
  return {
    _id: event.eventId,
    eventId: event.eventId,
    type: event.type,
    ...('customerId' in event && { customerId: event.customerId }),
    occurredAt,
    receivedAt: occurredAt,
    status: 'routed',
    payload: event,
  };
}

type Routing =
  | { at: number; kind: 'entry'; playbook: Playbook; trigger: JourneyEvent; entry: EntryRecord }
  | { at: number; kind: 'event'; event: JourneyEvent };

/**
 * Who entered (each cart update enters both playbooks unless the customer entered that one in the
 * last two days; arms and epochs drawn by seed), and in what order the router sees it all: an
 * entry when it is made, an event after it occurred, a third of them up to 36 hours late, and
 * one in ten a second time.
 */
function scenario() {
  const demo = generateDemoStore({ customers: 120, days: 14, seed: 7, start: T0 });
  const partners = demo.offers.filter((offer) => offer.kind === 'partner');
  // The demo's engagements name no offer and its orders carry no discount: some are given both.
  const events = demo.events
    .filter((e) => 'customerId' in e)
    .map((e): JourneyEvent => {
      if (e.type === 'message.engaged' && e.data.kind !== 'opened') {
        const offer = partners[Math.floor(chance(`offer-${e.eventId}`) * partners.length)]!;
        return { ...e, data: { ...e.data, offerId: offer.offerId } };
      }
      if (e.type === 'order.placed' && chance(`discount-${e.eventId}`) < 0.3)
        return { ...e, data: { ...e.data, discount: 5 } };
      return e;
    });
  const entries: EntryRecord[] = [];
  const routing: Routing[] = [];
  const last = new Map<string, number>();
  for (const event of [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))) {
    const at = Date.parse(event.occurredAt);
    const lag = chance(`lag-${event.eventId}`) < 0.3 ? chance(`late-${event.eventId}`) * 1.5 * DAY : 60_000;
    routing.push({ at: at + lag, kind: 'event', event });
    if (chance(`again-${event.eventId}`) < 0.1)
      routing.push({ at: at + lag + 3_600_000, kind: 'event', event });
    if (event.type !== 'cart.updated' || !('customerId' in event)) continue;
    for (const playbook of PLAYBOOKS) {
      const key = `${playbook.id}|${event.customerId}`;
      if (at - (last.get(key) ?? -Infinity) < 2 * DAY) continue;
      last.set(key, at);
      const enteredAt = at + 30_000;
      const entry: EntryRecord = {
        journeyId: `journey:${playbook.id}:${event.customerId}:${event.eventId}`,
        playbookId: playbook.id,
        playbookVersion: 1,
        playbookLabel: 'v1@000000000000',
        customerId: event.customerId,
        entryEventId: event.eventId,
        arm: chance(key + event.eventId) < 0.3 ? 'control' : 'treatment',
        holdoutEpoch: enteredAt < T0 + 7 * DAY ? 1 : 2,
        enteredAt: new Date(enteredAt),
      };
      entries.push(entry);
      routing.push({ at: enteredAt, kind: 'entry', playbook, trigger: event, entry });
    }
  }
  routing.sort((a, b) => a.at - b.at);
  // Every fifth partner offer is missing from the catalog: engagements with it are unpriced.
  const catalog = demo.offers.filter(
    (offer) => offer.kind !== 'partner' || partners.indexOf(offer) % 5 !== 0,
  );
  return { events, entries, routing, catalog };
}

/** What the report used to compute: the batch tally over the entries in the range and all events. */
function batchTally(
  { entries, events, catalog }: ReturnType<typeof scenario>,
  query: LiftQuery,
): PlaybookLiftData[] {
  const inRange = entries.filter(
    (e) => (!query.from || e.enteredAt >= query.from) && (!query.to || e.enteredAt < query.to),
  );
  const eventsByCustomer = new Map<string, LiftEvent[]>();
  for (const payload of events) {
    if (!('customerId' in payload)) continue;
    const own = eventsByCustomer.get(payload.customerId) ?? [];
    own.push({ eventId: payload.eventId, occurredAt: new Date(payload.occurredAt), payload });
    eventsByCustomer.set(payload.customerId, own);
  }
  const triggerById = new Map(events.map((e) => [e.eventId, e]));
  const payouts = new Map<string, OfferPayout>(catalog.map((offer) => [offer.offerId, offerPayout(offer)]));
  const byPlaybook = firstEntries<LiftEntry>(
    [...inRange].sort((a, b) => a.enteredAt.getTime() - b.enteredAt.getTime()),
  );
  return [...byPlaybook.keys()].sort().map((playbookId) => {
    const { success } = PLAYBOOKS.find((p) => p.id === playbookId)!;
    const customers = [...byPlaybook.get(playbookId)!.values()];
    return tallyPlaybook(
      playbookId,
      customers,
      { success, eventsByCustomer, triggerById, payouts },
      COST_MODEL,
    );
  });
}

/** Equal, but for the last bits of sums added up in another order. */
function assertSameReport(actual: PlaybookLiftData[], expected: PlaybookLiftData[], what: string): void {
  const rounded = (reports: PlaybookLiftData[]) =>
    JSON.parse(
      JSON.stringify(reports, (_, value: unknown) =>
        typeof value === 'number' ? Math.round(value * 1e6) / 1e6 : value,
      ),
    ) as unknown;
  assert.deepEqual(rounded(actual), rounded(expected), what);
}

describe('the lift rollup, kept as events are routed', () => {
  const dir = tempDir('journeys-lift-rollup');
  let ferret: FerretDb | undefined;
  let mongo: MongoClient;
  let db: Db;
  let legacy: Db;
  const world = scenario();
  const ranges: [string, LiftQuery][] = [
    ['everything', {}],
    ['from day 5', { from: new Date(T0 + 5 * DAY) }],
    ['days 3 to 9', { from: new Date(T0 + 3 * DAY), to: new Date(T0 + 9 * DAY) }],
    ['the first day', { to: new Date(T0 + DAY) }],
  ];

  async function publishPlaybooks(target: Db): Promise<void> {
    await ensureIndexes(target);
    await ensurePlaybookIndexes(target);
    const store = playbookCollections(target);
    for (const playbook of PLAYBOOKS) {
      await publishVersion(store, playbook, new Date(T0));
      await activate(store, playbook.id, new Date(T0));
    }
    await upsertOffers(collections(target).offers, world.catalog);
  }

  before(async () => {
    const uri =
      process.env.MONGODB_URI ||
      (ferret = await startFerretDb({ dataDir: dir.path, port: await freePort() })).uri;
    mongo = await MongoClient.connect(uri);
    const stamp = Date.now();
    db = mongo.db(`test_rollup_${stamp}`);
    legacy = mongo.db(`test_rollup_legacy_${stamp}`);
    await publishPlaybooks(db);
    await runMigrations(db); // a fresh database: the rollup starts empty
    const lift = LiftMaintainer.of(collections(db), COST_MODEL);
    for (const step of world.routing) {
      if (step.kind === 'entry')
        await lift.entered(step.playbook, step.trigger, {
          ...step.entry,
          holdoutEpoch: step.entry.holdoutEpoch ?? 0,
        });
      else await lift.routed(step.event, PLAYBOOKS);
    }
  });
  after(async () => {
    await mongo?.close();
    await ferret?.stop();
    dir.remove();
  });

  const sources = (target: Db) => ({ ...collections(target), playbooks: playbookCollections(target) });

  it('gives the batch tally of the same entries and events, for whole days ranges', async () => {
    assert.ok(world.entries.length > 200, `${world.entries.length} entries: too few to mean much`);
    for (const [what, query] of ranges) {
      const expected = batchTally(world, query);
      assert.ok(expected.length === 2, what);
      assertSameReport(await liftData(sources(db), query), expected, what);
    }
    const [orders] = batchTally(world, {});
    assert.ok(
      orders && 'success' in orders && orders.arms.treatment.conversions > 10,
      'conversions to compare',
    );
    assert.ok(orders.unpricedEngagements > 0 && orders.arms.treatment.partnerRevenue > 0, 'offers to value');
    assert.ok(orders.arms.treatment.discount > 0, 'discounts to count');
    assert.deepEqual(orders.holdoutEpochs, [1, 2]);
  });

  it('counts an event routed twice, or late and out of order, once', async () => {
    const lift = LiftMaintainer.of(collections(db), COST_MODEL);
    const [playbook] = PLAYBOOKS;
    const at = T0 + 20 * DAY; // after the scenario, on a day of its own
    const cart = JourneyEvent.parse({
      type: 'cart.updated',
      eventId: 'once-cart',
      customerId: 'once-c1',
      occurredAt: new Date(at).toISOString(),
      data: { cartId: 'once-k', currency: 'EUR', items: [{ sku: 'A', name: 'Tee', quantity: 1, price: 20 }] },
    });
    const order = (eventId: string, hours: number, total: number) =>
      JourneyEvent.parse({
        type: 'order.placed',
        eventId,
        customerId: 'once-c1',
        occurredAt: new Date(at + hours * 3_600_000).toISOString(),
        data: {
          orderId: eventId,
          items: [{ sku: 'A', category: 'tees', price: total, quantity: 1 }],
          total,
          currency: 'EUR',
          salesChannel: 'online',
        },
      });
    const entry = {
      playbookId: playbook!.id,
      customerId: 'once-c1',
      entryEventId: cart.eventId,
      arm: 'treatment' as const,
      holdoutEpoch: 2,
      enteredAt: new Date(at + 1000),
    };
    await lift.entered(playbook!, cart, entry);
    await lift.entered(playbook!, cart, entry); // the publish retried after a crash
    await lift.routed(order('once-o2', 30, 50), PLAYBOOKS);
    await lift.routed(order('once-o1', 5, 30), PLAYBOOKS); // occurred earlier, routed later
    await lift.routed(order('once-o2', 30, 50), PLAYBOOKS);
    await lift.routed(order('once-o1', 5, 30), PLAYBOOKS);
    const [report] = await liftData(sources(db), {
      playbookId: playbook!.id,
      from: new Date(T0 + 20 * DAY),
    });
    assert.ok(report && 'success' in report);
    assert.deepEqual(
      [report.arms.treatment.customers, report.arms.treatment.conversions, report.arms.treatment.revenue],
      [1, 1, 80],
    );
    assert.equal(report.arms.treatment.revenueSquares, 80 * 80);
    assert.equal(report.arms.control.customers, 0);
  });

  it('judges an entry by the definition it entered with, and says when that is not the current one', async () => {
    const lift = LiftMaintainer.of(collections(db), COST_MODEL);
    const [playbook] = PLAYBOOKS;
    const changed = Playbook.parse({
      ...playbook!,
      success: { metric: { event: 'order.placed' }, window: '1h' },
    });
    const at = T0 + 25 * DAY;
    const cart = JourneyEvent.parse({
      type: 'cart.updated',
      eventId: 'judged-cart',
      customerId: 'judged-c1',
      occurredAt: new Date(at).toISOString(),
      data: {
        cartId: 'judged-k',
        currency: 'EUR',
        items: [{ sku: 'A', name: 'Tee', quantity: 1, price: 20 }],
      },
    });
    await lift.entered(changed, cart, {
      playbookId: playbook!.id,
      customerId: 'judged-c1',
      entryEventId: cart.eventId,
      arm: 'control',
      holdoutEpoch: 2,
      enteredAt: new Date(at),
    });
    const order = JourneyEvent.parse({
      type: 'order.placed',
      eventId: 'judged-o1',
      customerId: 'judged-c1',
      occurredAt: new Date(at + 2 * 3_600_000).toISOString(),
      data: {
        orderId: 'judged-o1',
        items: [{ sku: 'A', category: 'tees', price: 20, quantity: 1 }],
        total: 20,
        currency: 'EUR',
        salesChannel: 'online',
      },
    });
    await lift.routed(order, [changed]);
    const [report] = await liftData(sources(db), { playbookId: playbook!.id, from: new Date(at) });
    assert.ok(report && 'success' in report);
    // Two hours after entry: outside the 1h window it entered with, inside today's 3d.
    assert.deepEqual([report.arms.control.customers, report.arms.control.conversions], [1, 0]);
    assert.equal(report.judgedByOtherDefinitions, 1);
    assert.equal(report.success.window, '3d', 'the yardstick printed is the current definition');
  });

  it("keeps a customer's document small: entries whose window closed 30 days ago leave it, the latest stays", () => {
    const entry = (playbookId: string, day: number) => ({
      playbookId,
      entryEventId: `${playbookId}-${day}`,
      enteredAt: new Date(T0 + day * DAY),
      previousDay: 'none',
      arm: 'treatment' as const,
      holdoutEpoch: 1,
      success: { metric: { event: 'order.placed' as const }, window: '7d' },
      events: [],
      outcome: noOutcome(),
    });
    const entries = [entry('a', 0), entry('a', 20), entry('a', 60), entry('b', 0)];
    // At day 66: a's day-20 window closed on day 27, 39 days ago; a's day 0 too; b's is its latest.
    assert.deepEqual(
      keptEntries(entries, T0 + 66 * DAY).map((e) => e.entryEventId),
      ['a-60', 'b-0'],
    );
    assert.equal(keptEntries(entries, T0 + 56 * DAY).length, 3, 'day 20 + 7 + 30 = day 57: still kept');
  });

  it('is built from the entries and events stored before it by the migration, with the same answer', async () => {
    await publishPlaybooks(legacy);
    const { entries, events } = collections(legacy);
    await entries.insertMany(world.entries.map((entry) => ({ ...entry })));
    await events.insertMany(world.events.map(record));
    assert.deepEqual(await liftData(sources(legacy), {}), [], 'nothing before the migration');
    await runMigrations(legacy);
    for (const [what, query] of ranges)
      assertSameReport(await liftData(sources(legacy), query), batchTally(world, query), what);
  });
});
