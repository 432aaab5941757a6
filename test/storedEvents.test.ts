import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startFerretDb, type FerretDb } from '../tools/devstack/ferretdb';
import { freePort } from '../tools/devstack/net';
import type { JourneyEvent } from '../schemas/events/schema';
import { Playbook } from '../schemas/playbook/schema';
import { collections, ensureIndexes, type EntryRecord, type EventRecord } from '../store/collections';
import { storedEvent } from '../store/events';
import { liftData } from '../store/liftData';
import { rebuildLift } from '../store/liftRebuild';
import {
  activate,
  ensurePlaybookIndexes,
  playbookCollections,
  publishVersion,
} from '../store/playbookVersions';
import { cartPlaybook } from './support/playbooks';
import { tempDir } from './support/servers';

/*
 * The MongoDB inbox keeps events as they were accepted, so records from before the renames of
 * issue 15 hold the old form. Read on the real MongoDB-wire server (FerretDB, or MONGODB_URI) by
 * what reads the inbox: they come out in the new form.
 */

const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const PLAYBOOK = 'store-orders';

/** A record as the inbox held it before the renames: the payload in the old form. */
function oldRecord(
  payload: Record<string, unknown> & { eventId: string; customerId: string; occurredAt: string },
) {
  const occurredAt = new Date(payload.occurredAt);
  return {
    _id: payload.eventId,
    eventId: payload.eventId,
    type: payload.type,
    customerId: payload.customerId,
    occurredAt,
    receivedAt: occurredAt,
    status: 'routed',
    payload,
  } as unknown as EventRecord;
}

const oldCart = (customerId: string) =>
  oldRecord({
    eventId: `cart-${customerId}`,
    type: 'cart.updated',
    customerId,
    occurredAt: iso(T0),
    data: {
      cartId: `k-${customerId}`,
      currency: 'EUR',
      items: [{ sku: 'A', name: 'Tee', quantity: 1, unitPrice: 20 }],
    },
  });

const oldOrder = (customerId: string, channel: 'online' | 'store') =>
  oldRecord({
    eventId: `order-${customerId}`,
    type: 'order.placed',
    customerId,
    occurredAt: iso(T0 + DAY),
    data: {
      orderId: `o-${customerId}`,
      items: [{ sku: 'A', category: 'apparel', price: 20, quantity: 1 }],
      total: 20,
      currency: 'EUR',
      channel,
    },
  });

function entry(customerId: string): EntryRecord {
  return {
    journeyId: `journey:${PLAYBOOK}:${customerId}`,
    playbookId: PLAYBOOK,
    playbookVersion: 1,
    playbookLabel: 'v1@000000000000',
    customerId,
    entryEventId: `cart-${customerId}`,
    arm: 'treatment',
    enteredAt: new Date(T0),
  };
}

describe('events stored in the old form', () => {
  const dir = tempDir('journeys-stored-events');
  let ferret: FerretDb | undefined;
  let mongo: MongoClient;
  let db: Db;

  before(async () => {
    const uri =
      process.env.MONGODB_URI ||
      (ferret = await startFerretDb({ dataDir: dir.path, port: await freePort() })).uri;
    mongo = await MongoClient.connect(uri);
    db = mongo.db(`test_stored_events_${Date.now()}`);
    await ensureIndexes(db);
    await ensurePlaybookIndexes(db);
    const store = playbookCollections(db);
    // Written after the rename: success is an order placed in a store, by its new name.
    const metric = {
      event: 'order.placed',
      where: { field: 'event.data.salesChannel', op: 'eq', value: 'store' },
    } as const;
    await publishVersion(
      store,
      Playbook.parse({ ...cartPlaybook(), id: PLAYBOOK, success: { metric, window: '7d' } }),
      new Date(),
    );
    await activate(store, PLAYBOOK, new Date());
    const { entries, events } = collections(db);
    await entries.insertMany([entry('c-store'), entry('c-online')]);
    await events.insertMany([
      oldCart('c-store'),
      oldCart('c-online'),
      oldOrder('c-store', 'store'),
      oldOrder('c-online', 'online'),
    ]);
  });
  after(async () => {
    await mongo?.close();
    await ferret?.stop();
    dir.remove();
  });

  it('read from the inbox come out in the new form', async () => {
    const record = await collections(db).events.findOne({ _id: 'order-c-store' });
    assert.ok(record);
    const event = storedEvent(record) as Extract<JourneyEvent, { type: 'order.placed' }>;
    assert.equal(event.data.salesChannel, 'store');
    assert.ok(!('channel' in event.data), 'the old name is gone');
    const cart = storedEvent((await collections(db).events.findOne({ _id: 'cart-c-store' }))!);
    assert.deepEqual(cart.type === 'cart.updated' && cart.data.items[0], {
      sku: 'A',
      name: 'Tee',
      quantity: 1,
      price: 20,
    });
  });

  it('the lift report counts an old store order as a conversion by its new name', async () => {
    const stored = { ...collections(db), playbooks: playbookCollections(db) };
    await rebuildLift(stored, { defaultCostRatio: 0.6, costRatios: {} });
    const [data] = await liftData(stored, { playbookId: PLAYBOOK });
    assert.ok(data && !('na' in data), JSON.stringify(data));
    assert.equal(data.arms.treatment.customers, 2);
    assert.equal(data.arms.treatment.conversions, 1, 'the store order, and not the online one');
  });
});
