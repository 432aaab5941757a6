import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { journeyId } from '../engine/interpreter/entry';
import { fixedHoldout } from '../router/holdoutSource';
import { JourneyClient } from '../router/journeyClient';
import { collections, type Collections } from '../store/collections';
import { acceptEvent, MARKS_PER_WRITE, markRouted } from '../store/events';
import { CommandLog } from './support/commandLog';
import { cartUpdated, orderPlaced, uniqueId } from './support/events';
import {
  cartPlaybook,
  startTimeSkippingHarness,
  TEST_HOLDOUT,
  type TimeSkippingHarness,
} from './support/timeSkipping';

/*
 * publishEvents (the HTTP batch and `journeys events publish`) writes a batch's inbox records with
 * one unordered insertMany and its "routed" marks with one bulkWrite, on FerretDB and Temporal's
 * test server, while each event keeps the outcome publishing it alone would give.
 */
describe('a batch of events, published with bulk writes', () => {
  let harness: TimeSkippingHarness;
  let mongo: MongoClient;
  let store: Collections;
  let client: JourneyClient;
  let log: CommandLog;

  before(async () => {
    harness = await startTimeSkippingHarness('publish-bulk');
    const dbName = harness.servers.db.databaseName;
    log = new CommandLog(dbName);
    mongo = new MongoClient(harness.servers.mongodbUri, { monitorCommands: true });
    mongo.on('commandStarted', log.listener);
    await mongo.connect();
    store = collections(mongo.db(dbName));
    client = new JourneyClient({
      temporal: harness.env.client,
      collections: store,
      taskQueue: harness.taskQueue,
      playbooks: [cartPlaybook()],
      holdout: fixedHoldout(TEST_HOLDOUT),
      occurredAtWindow: 'unchecked',
    });
  });
  after(async () => {
    await mongo?.close();
    await harness?.close();
  });

  it('inserts the inbox records with one insertMany and marks them routed in bulkWrites of 25', async () => {
    const customers = Array.from({ length: 60 }, (_, i) => uniqueId(`bulk-${i}`));
    log.clear();
    const outcomes = await client.publishEvents(customers.map((id) => cartUpdated(id)));
    assert.deepEqual(
      outcomes.map((o) => o.status),
      customers.map(() => 'accepted'),
    );
    const writes = log.writes.filter((w) => w.collection === 'events');
    assert.deepEqual(writes, [
      { collection: 'events', command: 'insert', size: 60 },
      { collection: 'events', command: 'update', size: MARKS_PER_WRITE },
      { collection: 'events', command: 'update', size: MARKS_PER_WRITE },
      { collection: 'events', command: 'update', size: 60 - 2 * MARKS_PER_WRITE },
    ]);
    const records = await Promise.all(
      customers.map((_, i) => store.events.findOne({ _id: outcomes[i]?.eventId })),
    );
    assert.ok(records.every((r) => r?.status === 'routed'));
  });

  it('answers each event as one by one: rejected, duplicate, unrouted retried, repeated in the batch', async () => {
    const [a, b, c, d] = [uniqueId('a'), uniqueId('b'), uniqueId('c'), uniqueId('d')];
    const fresh = cartUpdated(a);
    // Routed by an earlier publish: dropped, answering where it went then.
    const routed = cartUpdated(b);
    await acceptEvent(store.events, routed, new Date());
    await markRouted(store.events, routed.eventId, ['journey:earlier'], 250);
    // Accepted by a publisher that died before routing it: routed now.
    const unrouted = cartUpdated(c);
    await acceptEvent(store.events, unrouted, new Date());
    const { customerId: _dropped, ...invalid } = cartUpdated(d);
    const order = orderPlaced(a, { cartId: fresh.data.cartId });

    const outcomes = await client.publishEvents([fresh, routed, unrouted, invalid, fresh, order]);

    const run = (id: string) => journeyId('cart-abandonment', id, undefined);
    assert.deepEqual(outcomes[0], {
      index: 0,
      eventId: fresh.eventId,
      status: 'accepted',
      deliveredTo: [run(a)],
    });
    assert.deepEqual(outcomes[1], {
      index: 1,
      eventId: routed.eventId,
      status: 'duplicate',
      deliveredTo: ['journey:earlier'],
      deliveredCount: 250,
    });
    assert.deepEqual(outcomes[2], {
      index: 2,
      eventId: unrouted.eventId,
      status: 'accepted',
      deliveredTo: [run(c)],
    });
    assert.equal(outcomes[3]?.status, 'rejected');
    assert.equal(outcomes[3]?.eventId, invalid.eventId);
    assert.deepEqual(outcomes[4], {
      index: 4,
      eventId: fresh.eventId,
      status: 'duplicate',
      deliveredTo: [run(a)],
    });
    assert.deepEqual(outcomes[5], {
      index: 5,
      eventId: order.eventId,
      status: 'accepted',
      deliveredTo: [run(a)],
    });
    assert.equal((await store.events.findOne({ _id: unrouted.eventId }))?.status, 'routed');
    assert.equal(await store.events.countDocuments({ _id: invalid.eventId }), 0);
  });
});
