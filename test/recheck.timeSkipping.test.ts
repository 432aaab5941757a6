import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { journeyId } from '../engine/interpreter/entry';
import type { CatalogEvent, JourneyEvent } from '../schemas/events/schema';
import type { Condition, Playbook, PlaybookInput } from '../schemas/playbook/schema';
import { validatePlaybook } from '../schemas/playbook/validate';
import { findProducts } from '../store/products';
import type { JourneyResult } from '../workflows/journey';
import { cartUpdated, customerEvent, orderPlaced, uniqueId } from './support/events';
import { cartPlaybook, startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

const inStock: Condition = { field: 'product.inStock', op: 'eq', value: true };
const notOrdered: Condition = { field: 'sinceTrigger.ordered', op: 'eq', value: false };

/** "Back in stock" an hour after the restock, only if the product still is; validated like a file. */
function restockPlaybook(): Playbook {
  const { playbook, issues } = validatePlaybook({
    id: 'restock-recheck',
    name: 'Restock, re-checked',
    version: 1,
    trigger: { event: 'product.back_in_stock', fanOut: { to: ['wishlisted'] } },
    entry: { reentry: 'never' },
    maxDuration: '2d',
    holdout: 0,
    success: { metric: { event: 'order.placed' }, window: '7d' },
    templates: { back: { subject: '{{trigger.data.name}} is back', text: 'Get it while it lasts.' } },
    steps: [
      { id: 'pause', type: 'wait', duration: '1h' },
      { id: 'back', type: 'send', channel: 'email', template: 'back', recheck: [inStock] },
    ],
  } satisfies PlaybookInput);
  assert.deepEqual(issues, []);
  return playbook!;
}

function catalogEvent<T extends CatalogEvent>(type: T['type'], data: T['data'], occurredAt = new Date()): T {
  return { type, eventId: uniqueId(`evt-${type}`), occurredAt: occurredAt.toISOString(), data } as T;
}

/** Send-time re-checks on the time-skipping server, with real MongoDB and SMTP. */
describe('re-checking a send at the moment of sending, on live journeys', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('recheck');
  });
  after(async () => {
    await h?.close();
  });

  const email = (customerId: string) => `${customerId}@example.test`;
  const mailTo = (customerId: string) =>
    h.servers.smtp.messages.filter((m) => m.to.includes(email(customerId)));
  const result = (playbookId: string, customerId: string) =>
    h.env.client.workflow.getHandle(journeyId(playbookId, customerId)).result() as Promise<JourneyResult>;
  const deliveries = (customerId: string) => h.servers.collections.deliveries.find({ customerId }).toArray();

  it('a restock that sells out during the wait sends nothing and records why; one still in stock sends', async () => {
    const playbook = restockPlaybook();
    const client = h.clientWith(playbook);
    const [ann, ben] = [uniqueId('ann'), uniqueId('ben')];
    const [gone, kept] = [uniqueId('SKU-GONE'), uniqueId('SKU-KEPT')];
    const setup: JourneyEvent[] = [
      customerEvent('customer.upserted', ann, { email: email(ann) }),
      customerEvent('customer.upserted', ben, { email: email(ben) }),
      customerEvent('wishlist.added', ann, { sku: gone }),
      customerEvent('wishlist.added', ben, { sku: kept }),
    ];
    for (const event of setup) await client.publishEvent(event);

    const restocked = new Date();
    await client.publishEvent(
      catalogEvent('product.back_in_stock', { sku: gone, name: 'Linen shirt' }, restocked),
    );
    await client.publishEvent(
      catalogEvent('product.back_in_stock', { sku: kept, name: 'Wool scarf' }, restocked),
    );
    // During the hour's wait, one of them sells out again.
    const soldOut = new Date(restocked.getTime() + 1_000);
    await client.publishEvent(catalogEvent('product.stock_changed', { sku: gone, inStock: false }, soldOut));
    // A restock that happened before the sell-out but arrives after it changes nothing.
    const late = catalogEvent('product.back_in_stock', { sku: gone, quantity: 3 }, restocked);
    await h.clientWith([]).publishEvent(late);
    assert.deepEqual(await findProducts(h.servers.collections.products, [gone, kept]), [
      { sku: gone, inStock: false },
      { sku: kept, inStock: true },
    ]);

    const stale = await result(playbook.id, ann);
    assert.deepEqual(
      stale.decisions.filter((d) => d.step === 'back').map((d) => [d.action, d.reason]),
      [['suppress', 'stale:product.inStock']],
    );
    assert.equal(mailTo(ann).length, 0);
    assert.deepEqual(
      (await deliveries(ann)).map((d) => [d.status, d.reason, d.channel, d.to]),
      [['suppressed', 'stale:product.inStock', 'email', email(ann)]],
    );

    const fresh = await result(playbook.id, ben);
    assert.deepEqual(
      fresh.decisions.filter((d) => d.step === 'back').map((d) => d.action),
      ['send'],
    );
    assert.deepEqual(
      mailTo(ben).map((m) => m.subject),
      ['Wool scarf is back'],
    );
  });

  it('a cart bought in store during the wait is not chased, although the run never heard of it', async () => {
    // The goal ends a run when *this* cart is ordered online (matched on cartId). An order placed
    // in store carries no cartId, so the goal cannot see it; the profile records it all the same
    // (lastOrderAt), and the re-check reads that, whatever path the order came in by.
    const cart = cartPlaybook();
    const playbook: Playbook = {
      ...cart,
      id: 'cart-recheck',
      exit: { goals: [{ event: 'order.placed', matchTriggerOn: 'event.data.cartId' }] },
      steps: cart.steps.map((step) => (step.type === 'send' ? { ...step, recheck: [notOrdered] } : step)),
    };
    assert.deepEqual(validatePlaybook(playbook).issues, []);
    const client = h.clientWith(playbook);
    const [cat, dov] = [uniqueId('cat'), uniqueId('dov')];
    for (const id of [cat, dov]) {
      await client.publishEvent(customerEvent('customer.upserted', id, { email: email(id) }));
    }
    const carts = [cartUpdated(cat), cartUpdated(dov)];
    for (const event of carts) await client.publishEvent(event);
    const inStore = orderPlaced(cat, { salesChannel: 'store', storeId: 'store-12' });
    const afterCart = new Date(Date.parse(carts[0]!.occurredAt) + 1_000).toISOString();
    await client.publishEvent({ ...inStore, occurredAt: afterCart });

    const bought = await result(playbook.id, cat);
    assert.equal(bought.outcome.status, 'completed', 'the goal did not end the run');
    assert.deepEqual(
      bought.decisions.filter((d) => d.step === 'reminder').map((d) => [d.action, d.reason]),
      [['suppress', 'stale:sinceTrigger.ordered']],
    );
    assert.equal(mailTo(cat).length, 0);
    assert.deepEqual(
      (await deliveries(cat)).map((d) => [d.status, d.reason]),
      [['suppressed', 'stale:sinceTrigger.ordered']],
    );

    const open = await result(playbook.id, dov);
    assert.deepEqual(
      open.decisions.filter((d) => d.step === 'reminder').map((d) => d.action),
      ['send'],
    );
    assert.equal(mailTo(dov).length, 1);
  });
});
