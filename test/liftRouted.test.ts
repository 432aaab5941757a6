import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JourneyEventInput } from '../schemas/events/schema';
import { liftData } from '../store/liftData';
import {
  activate,
  ensurePlaybookIndexes,
  playbookCollections,
  publishVersion,
} from '../store/playbookVersions';
import { uniqueId } from './support/events';
import { cartPlaybook, startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * The router keeps the lift rollup as it routes: on FerretDB and a real Temporal server, a cart
 * event that enters the shipped cart playbook and the order after it are in `journeys report
 * lift`'s figures with nothing rebuilt, and publishing them again changes nothing.
 */
describe('the lift rollup behind the router', () => {
  let harness: TimeSkippingHarness;

  before(async () => {
    harness = await startTimeSkippingHarness('lift-routed');
    const { db } = harness.servers;
    await ensurePlaybookIndexes(db);
    const store = playbookCollections(db);
    await publishVersion(store, cartPlaybook(), new Date());
    await activate(store, cartPlaybook().id, new Date());
  });
  after(async () => {
    await harness?.close();
  });

  it('counts an entry and the order after it as they are published, each once', async () => {
    const client = harness.clientWith(cartPlaybook());
    const customerId = uniqueId('lift-c');
    const now = Date.now();
    const cart: JourneyEventInput = {
      type: 'cart.updated',
      eventId: uniqueId('lift-cart'),
      customerId,
      occurredAt: new Date(now).toISOString(),
      data: {
        cartId: `cart-${customerId}`,
        currency: 'EUR',
        items: [{ sku: 'A', name: 'Tee', quantity: 1, price: 20 }],
        cartUrl: 'https://shop.example/cart',
      },
    };
    const order: JourneyEventInput = {
      type: 'order.placed',
      eventId: uniqueId('lift-order'),
      customerId,
      occurredAt: new Date(now + 60_000).toISOString(),
      data: {
        orderId: uniqueId('order'),
        cartId: `cart-${customerId}`,
        items: [{ sku: 'A', category: 'tees', price: 20, quantity: 1 }],
        total: 20,
        currency: 'EUR',
        salesChannel: 'online',
      },
    };
    const entered = await client.publishEvent(cart);
    assert.equal(entered.deliveredTo.length, 1, 'the cart entered a run');
    await client.publishEvent(order);
    await client.publishEvents([cart, order]); // duplicates: dropped, nothing counted again

    const sources = { ...harness.servers.collections, playbooks: playbookCollections(harness.servers.db) };
    const [report] = await liftData(sources, { playbookId: cartPlaybook().id });
    assert.ok(report && 'success' in report, JSON.stringify(report));
    assert.deepEqual(
      [report.arms.treatment.customers, report.arms.treatment.conversions, report.arms.treatment.revenue],
      [1, 1, 20],
    );
    assert.equal(report.arms.control.customers, 0);
  });
});
