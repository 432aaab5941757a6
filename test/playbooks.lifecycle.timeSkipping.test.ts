import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JourneyClient } from '../router/journeyClient';
import { journeyId } from '../engine/interpreter/entry';
import type { JourneyEvent, OrderPlaced } from '../schemas/events/schema';
import { Offer } from '../schemas/offers/schema';
import { findProfile } from '../store/profiles';
import { upsertOffers } from '../store/offers';
import { customerEvent, orderPlaced, uniqueId } from './support/events';
import { DAY, playbookScenarios, shippedPlaybook, type PlaybookCase } from './support/shippedPlaybooks';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * The shipped playbooks that follow an order (second purchase, category bridge, store follow-up,
 * care tips), loaded from playbooks/, on the real servers. Two offers are in the catalog: free
 * shipping (own) and a partner's running socks, next to running shoes. Each playbook's offer
 * kinds leave exactly one of them eligible, so the message names a known offer.
 */

const FREE_SHIPPING = 'Free shipping on your next order';
const SOCKS = '15% off running socks';

const shoes = (customerId: string, data: Partial<OrderPlaced['data']> = {}) =>
  orderPlaced(customerId, {
    items: [{ sku: 'SKU-SHOE', name: 'Trail shoe', category: 'running-shoes', price: 120, quantity: 1 }],
    total: 120,
    ...data,
  });

const delivered = (customerId: string, orderId: string, categories?: string[]) =>
  customerEvent('order.delivered', customerId, {
    orderId,
    ...(categories !== undefined && { categories }),
  });

const orderIdOf = (event: JourneyEvent) => (event.data as { orderId: string }).orderId;

/** The customer's first order, published before the delivery that triggers the run. */
async function firstOrderDelivered(client: JourneyClient, customerId: string): Promise<JourneyEvent> {
  const order = shoes(customerId);
  await client.publishEvent(order);
  return delivered(customerId, order.data.orderId);
}

const secondPurchase: PlaybookCase = {
  id: 'second-purchase',
  send: { step: 'picks', after: 3 * DAY },
  profile: { attributes: { picksUrl: 'https://shop.example/picks/ada' } },
  start: firstOrderDelivered,
  goal: (id) => shoes(id),
  checkMail(mail) {
    assert.equal(mail.subject, 'Ada, picked for you, with a thank-you');
    assert.match(mail.text, /We picked a few things to go with it: https:\/\/shop\.example\/picks\/ada/);
    assert.match(mail.text, new RegExp(`A thank-you for next time: ${FREE_SHIPPING} \\(code SHIPFREE\\)`));
  },
};

const categoryBridge: PlaybookCase = {
  id: 'category-bridge',
  send: { step: 'bridge', after: 2 * DAY },
  start: (_client, id) => shoes(id),
  goal: (id) => shoes(id),
  checkMail(mail) {
    assert.equal(mail.subject, 'Goes well with your running-shoes');
    assert.match(mail.text, /your first order from our running-shoes range/);
    assert.match(mail.text, new RegExp(`from our partner Stridewell: ${SOCKS}`));
  },
};

const storeFollowUp: PlaybookCase = {
  id: 'store-follow-up',
  send: { step: 'follow-up', after: DAY },
  profile: { attributes: { associatePicksUrl: 'https://shop.example/stylist/ada' } },
  start: (_client, id) => shoes(id, { salesChannel: 'store', storeId: 'store-7' }),
  goal: (id) => shoes(id),
  checkMail(mail) {
    assert.equal(mail.subject, 'Thanks for visiting us, Ada');
    assert.match(mail.text, /- Trail shoe \(running-shoes\)/);
    assert.match(mail.text, /Your stylist picked .*: https:\/\/shop\.example\/stylist\/ada/);
    assert.match(mail.text, new RegExp(`To go with it, from Stridewell: ${SOCKS}`));
  },
};

const careTips: PlaybookCase = {
  id: 'care-tips',
  send: { step: 'care', after: 2 * DAY },
  start: (_client, id) => delivered(id, uniqueId('order'), ['knitwear', 'denim']),
  key: orderIdOf,
  goal: (id, trigger) => customerEvent('order.returned', id, { orderId: orderIdOf(trigger) }),
  checkMail(mail, trigger) {
    assert.equal(mail.subject, 'Getting the most out of your order');
    assert.match(mail.text, new RegExp(`Your order ${orderIdOf(trigger)} has arrived`));
    assert.match(mail.text, /- knitwear: https:\/\/shop\.example\/care\/knitwear\n- denim: /);
    assert.match(mail.text, /https:\/\/shop\.example\/community/);
  },
};

describe('the shipped order follow-up playbooks on the time-skipping server', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('lifecycle-playbooks');
    await upsertOffers(h.servers.collections.offers, [
      // An offer judged on a delivery (no basket) needs a minimum basket to be worth anything.
      Offer.parse({
        kind: 'freeShipping',
        offerId: 'ship-free',
        title: FREE_SHIPPING,
        code: 'SHIPFREE',
        minBasket: 50,
        marginFloorPercent: 20,
      }),
      Offer.parse({
        kind: 'partner',
        offerId: 'socks-partner',
        title: SOCKS,
        brand: 'Stridewell',
        category: 'running-socks',
        payoutModel: 'cpc',
        payout: 0.5,
      }),
    ]);
  });
  after(async () => {
    await h?.close();
  });
  const scenarios = playbookScenarios(() => h);

  for (const c of [secondPurchase, categoryBridge, storeFollowUp, careTips]) {
    describe(c.id, () => {
      it('enters on its trigger, waits, then sends the email', () => scenarios.sendsAfterItsWait(c));
      it('exits on its goal during the wait and sends nothing', () => scenarios.exitsOnItsGoal(c));
      it('sends nothing to its holdout arm', () => scenarios.holdsOut(c));
    });
  }

  it('the first order is the oldest one, whatever order the orders arrive in, and only it enters', async () => {
    const client = h.clientWith([
      shippedPlaybook('second-purchase', 0),
      shippedPlaybook('category-bridge', 0),
    ]);
    const id = uniqueId('eve');
    await client.publishEvent(customerEvent('customer.upserted', id, { email: `${id}@example.test` }));
    const now = Date.now();
    const newer = { ...shoes(id), occurredAt: new Date(now - DAY).toISOString() };
    const older = { ...shoes(id), occurredAt: new Date(now - 2 * DAY).toISOString() };
    // The newer order arrives first and is taken for the first; the older one corrects that.
    assert.deepEqual((await client.publishEvent(newer)).deliveredTo, [journeyId('category-bridge', id)]);
    await h.env.client.workflow.getHandle(journeyId('category-bridge', id)).terminate('test');
    assert.deepEqual((await client.publishEvent(older)).deliveredTo, []);
    // Routed again (a publisher that died mid-way), the newer order changes nothing.
    await h.servers.collections.events.updateOne(
      { eventId: newer.eventId },
      { $set: { status: 'received' } },
    );
    await client.publishEvent(newer);
    const profile = await findProfile(h.servers.collections.profiles, id);
    assert.equal(profile.firstOrderId, older.data.orderId);
    assert.equal(profile.firstOrderAt, older.occurredAt);
    // A delivery of the newer order is not a first delivery; the older one's is.
    assert.deepEqual((await client.publishEvent(delivered(id, newer.data.orderId))).deliveredTo, []);
    assert.deepEqual((await client.publishEvent(delivered(id, older.data.orderId))).deliveredTo, [
      journeyId('second-purchase', id),
    ]);
    await h.env.client.workflow.getHandle(journeyId('second-purchase', id)).terminate('test');
  });
});
