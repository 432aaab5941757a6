import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startFerretDb, type FerretDb } from '../tools/devstack/ferretdb';
import { freePort } from '../tools/devstack/net';
import { DAY_MS, MAX_ORDER_HISTORY, POPULATION_SAMPLE_SIZE } from '../engine/triggers/cadence';
import { orderFact } from '../engine/triggers/timerCommands';
import type { OrderPlaced } from '../schemas/events/schema';
import { collections, ensureIndexes } from '../store/collections';
import { acceptEvent } from '../store/events';
import { runMigrations } from '../store/migrations';
import { recordOrder } from '../store/orderHistory';
import { populationDays, recordReorderSample } from '../store/reorderSamples';
import { orderPlaced, uniqueId } from './support/events';
import { tempDir } from './support/servers';

/*
 * The documents the computed triggers read instead of querying (a customer's order history, a
 * product's population of reorder intervals), on the real MongoDB-wire server: they hold what the
 * queries over the inbox and the per-buyer samples returned, however orders arrive, and the
 * migrations build them from data stored before them.
 */
describe('maintained order histories and product populations', () => {
  const dir = tempDir('journeys-maintained');
  let ferret: FerretDb | undefined;
  let mongo: MongoClient;
  let db: Db;
  const t0 = Date.parse('2026-03-02T09:00:00Z');

  before(async () => {
    const uri =
      process.env.MONGODB_URI ||
      (ferret = await startFerretDb({ dataDir: dir.path, port: await freePort() })).uri;
    mongo = await MongoClient.connect(uri);
    db = mongo.db(`test_maintained_${Date.now()}`);
    await ensureIndexes(db);
  });
  after(async () => {
    await mongo?.close();
    await ferret?.stop();
    dir.remove();
  });

  const order = (customerId: string, day: number, sku = 'SKU-BEANS'): OrderPlaced => ({
    ...orderPlaced(customerId, { items: [{ sku, category: 'coffee', price: 12, quantity: 1 }], total: 12 }),
    occurredAt: new Date(t0 + day * DAY_MS).toISOString(),
  });
  const days = (orders: readonly { at: number }[]) => orders.map((o) => (o.at - t0) / DAY_MS);
  const route = (event: OrderPlaced) =>
    recordOrder(collections(db).customerOrders, event.customerId, {
      eventId: event.eventId,
      ...orderFact(event),
    });

  it('an order sees the orders up to it, newest first, whatever order they arrive in, and one routed twice counts once', async () => {
    const customerId = uniqueId('c');
    const [d0, d10, d20, d30] = [0, 10, 20, 30].map((day) => order(customerId, day));
    assert.deepEqual(days(await route(d20!)), [20]);
    assert.deepEqual(days(await route(d0!)), [0], 'a late order sees only what came before it');
    assert.deepEqual(days(await route(d30!)), [30, 20, 0]);
    assert.deepEqual(days(await route(d10!)), [10, 0], 'not the later ones already held');
    assert.deepEqual(days(await route(d30!)), [30, 20, 10, 0], 'routed again: the same history');
    const stored = await collections(db).customerOrders.findOne({ _id: customerId });
    assert.deepEqual(
      stored?.orders.map((o) => o.eventId),
      [d0, d10, d20, d30].map((o) => o!.eventId),
      'held oldest first, each once',
    );
    assert.deepEqual(stored?.orders[0]?.items, [{ sku: 'SKU-BEANS', category: 'coffee' }]);
  });

  it('keeps the newest MAX_ORDER_HISTORY orders', async () => {
    const customerId = uniqueId('c');
    const orders = Array.from({ length: MAX_ORDER_HISTORY + 5 }, (_, day) => order(customerId, day));
    for (const event of orders.slice().reverse()) await route(event); // newest first: the worst case
    const last = await route(orders[orders.length - 1]!);
    assert.equal(last.length, MAX_ORDER_HISTORY);
    assert.equal(days(last)[0], MAX_ORDER_HISTORY + 4);
    assert.equal(days(last)[MAX_ORDER_HISTORY - 1], 5);
    const stored = await collections(db).customerOrders.findOne({ _id: customerId });
    assert.equal(stored?.orders.length, MAX_ORDER_HISTORY);
  });

  it('a product’s population keeps each buyer’s latest interval, the most recent POPULATION_SAMPLE_SIZE buyers', async () => {
    const { reorderPopulations } = collections(db);
    const sku = uniqueId('sku');
    const sample = (customerId: string, days: number, day: number) =>
      recordReorderSample(reorderPopulations, { sku, customerId, days, at: t0 + day * DAY_MS });
    await sample('b', 30, 10);
    await sample('a', 20, 10);
    await sample('c', 40, 5);
    assert.deepEqual(
      await populationDays(reorderPopulations, sku),
      [20, 30, 40],
      'newest first, ties by buyer',
    );
    await sample('c', 44, 12);
    await sample('c', 99, 3); // an older purchase of c's, routed late: c's later interval stands
    await sample('a', 20, 10); // routed again
    assert.deepEqual(await populationDays(reorderPopulations, sku), [44, 20, 30]);
    for (let i = 0; i < POPULATION_SAMPLE_SIZE; i++)
      await sample(`n-${String(i).padStart(3, '0')}`, 7, 20 + i);
    const full = await populationDays(reorderPopulations, sku);
    assert.equal(full.length, POPULATION_SAMPLE_SIZE);
    assert.ok(
      full.every((d) => d === 7),
      'the older buyers made way',
    );
    await sample('a', 21, 11); // too old to rank now
    assert.deepEqual(await populationDays(reorderPopulations, sku), full);
  });

  it('the migrations build histories from the inbox and populations from per-buyer samples stored before them', async () => {
    const { events, customerOrders, reorderSamples, reorderPopulations } = collections(db);
    const customerId = uniqueId('c');
    const inbox = [5, 1, 3].map((day) => order(customerId, day));
    for (const event of inbox) await acceptEvent(events, event, new Date());
    const routedSince = order(customerId, 9); // routed by the new code before the migration ran
    await route(routedSince);
    const sku = uniqueId('sku');
    await reorderSamples.insertMany([
      { _id: `${sku}|x`, sku, customerId: 'x', days: 11, at: new Date(t0) },
      { _id: `${sku}|y`, sku, customerId: 'y', days: 22, at: new Date(t0 + DAY_MS) },
    ]);
    for (const id of ['customer-orders', 'reorder-populations'])
      await db.collection('migrations').deleteOne({ _id: id } as never);
    await runMigrations(db);
    const stored = await customerOrders.findOne({ _id: customerId });
    assert.deepEqual(days(stored?.orders.map((o) => ({ at: o.at.getTime() })) ?? []), [1, 3, 5, 9]);
    assert.deepEqual(days(await route(inbox[0]!)), [5, 3, 1], 'an inbox order routed again changes nothing');
    assert.deepEqual(await populationDays(reorderPopulations, sku), [22, 11]);
  });
});
