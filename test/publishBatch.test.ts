import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { journeyId } from '../engine/interpreter/entry';
import { cartUpdated, orderPlaced, uniqueId } from './support/events';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * publishEvents publishes different customers' events side by side (router/publishStages.ts) and
 * each customer's in the order given: on FerretDB and Temporal's test server, an order that follows
 * its cart in the same batch reaches the run the cart started, for every customer of the batch.
 */
describe('a batch of events, customers side by side', () => {
  let harness: TimeSkippingHarness;

  before(async () => {
    harness = await startTimeSkippingHarness('publish-batch');
  });
  after(() => harness?.close());

  it("keeps each customer's order: the order placed after the cart reaches the cart's run", async () => {
    const client = harness.clientWith();
    const customers = Array.from({ length: 40 }, (_, i) => uniqueId(`batch-${i}`));
    const carts = customers.map((id) => cartUpdated(id));
    const orders = customers.map((id, i) => orderPlaced(id, { cartId: carts[i]?.data.cartId }));
    // All the carts, then all the orders: concurrency must not let an order overtake its own cart.
    const outcomes = await client.publishEvents([...carts, ...orders]);
    assert.equal(outcomes.length, 80);
    customers.forEach((id, i) => {
      const run = journeyId('cart-abandonment', id, undefined);
      const cart = outcomes[i];
      const order = outcomes[40 + i];
      assert.equal(cart?.index, i);
      assert.equal(order?.index, 40 + i);
      assert.ok(cart?.status === 'accepted' && cart.deliveredTo.includes(run), JSON.stringify(cart));
      assert.ok(order?.status === 'accepted' && order.deliveredTo.includes(run), JSON.stringify(order));
    });
  });
});
