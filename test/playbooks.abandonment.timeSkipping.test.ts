import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cartUpdated, customerEvent, orderPlaced, TEE } from './support/events';
import { HOUR, playbookScenarios, type PlaybookCase } from './support/shippedPlaybooks';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/* The shipped abandonment playbooks (cart, browse, checkout), loaded from playbooks/, on the real servers. */

const cart: PlaybookCase = {
  id: 'cart-abandonment',
  send: { step: 'reminder', after: HOUR },
  start: (_client, id) => cartUpdated(id),
  goal: (id) => orderPlaced(id),
  checkMail(mail) {
    assert.equal(mail.subject, 'Ada, your cart is waiting');
    assert.match(mail.text, /- 2 × Organic cotton tee \(SKU-TEE-01\): €19\.50 each/);
  },
};

const viewed = (id: string, name = 'Waxed jacket <navy>') =>
  customerEvent('product.viewed', id, {
    sku: 'SKU-JACKET-3',
    name,
    url: 'https://shop.example/p/jacket-3',
    price: 129,
    currency: 'EUR',
  });

const browse: PlaybookCase = {
  id: 'browse-abandonment',
  send: { step: 'nudge', after: 4 * HOUR },
  start: (_client, id) => viewed(id),
  goal: (id) => cartUpdated(id),
  checkMail(mail) {
    assert.equal(mail.subject, 'Still thinking about Waxed jacket <navy>?');
    assert.match(mail.text, /^Hi Ada,/);
    assert.match(mail.text, /Waxed jacket <navy> \(€129\.00\) is still here\./);
    assert.match(mail.text, /Take another look: https:\/\/shop\.example\/p\/jacket-3/);
    assert.match(mail.html, /Waxed jacket &lt;navy&gt;/);
  },
};

const checkoutStarted = (id: string) =>
  customerEvent('checkout.started', id, {
    checkoutId: `co-${id}`,
    currency: 'EUR',
    total: 39,
    items: [TEE],
    checkoutUrl: 'https://shop.example/checkout/abc',
  });

const checkout: PlaybookCase = {
  id: 'checkout-abandonment',
  send: { step: 'reminder', after: 30 * 60_000 },
  start: (_client, id) => checkoutStarted(id),
  goal: (id) => orderPlaced(id),
  checkMail(mail) {
    assert.equal(mail.subject, 'Ada, your order is almost done');
    assert.match(mail.text, /your order of €39\.00 is waiting/);
    assert.match(mail.text, /- 2 × Organic cotton tee: €19\.50 each/);
    assert.match(mail.text, /Finish checking out: https:\/\/shop\.example\/checkout\/abc/);
  },
};

describe('the shipped abandonment playbooks on the time-skipping server', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('abandonment-playbooks');
  });
  after(async () => {
    await h?.close();
  });
  const scenarios = playbookScenarios(() => h);

  for (const c of [cart, browse, checkout]) {
    describe(c.id, () => {
      it('enters on its trigger, waits, then sends the email', () => scenarios.sendsAfterItsWait(c));
      it('exits on its goal during the wait and sends nothing', () => scenarios.exitsOnItsGoal(c));
      it('sends nothing to its holdout arm', () => scenarios.holdsOut(c));
    });
  }

  it('browse abandonment: more views restart the wait and remind once, of the latest product', async () => {
    const { client, customerId, run } = await scenarios.enter(browse, 0);
    await h.env.sleep('3 hours');
    const later = viewed(customerId, 'Chelsea boot');
    assert.deepEqual((await client.publishEvent(later)).deliveredTo, [run]);
    const { decisions } = await scenarios.result(run);
    const [entered, sent] = [
      decisions.find((d) => d.action === 'enter'),
      decisions.find((d) => d.action === 'send'),
    ];
    assert.ok(Date.parse(sent!.at) - Date.parse(entered!.at) >= 7 * HOUR, 'the wait was not restarted');
    assert.deepEqual(
      scenarios.mailTo(customerId).map((m) => m.subject),
      ['Still thinking about Chelsea boot?'],
    );
  });

  it('checkout abandonment falls back to SMS for a customer without email', async () => {
    const { customerId, run } = await scenarios.enter(checkout, 0, { phone: '+15550100777' });
    // enter() gives every customer an email; this one's is taken away before the send.
    await h.servers.collections.profiles.updateOne({ _id: customerId }, { $unset: { email: '' } });
    const { decisions } = await scenarios.result(run);
    assert.deepEqual(
      decisions.filter((d) => d.action === 'send').map((d) => d.channel),
      ['sms'],
    );
    const sms = h.servers.twilio.messages.filter((m) => m.to === '+15550100777');
    assert.deepEqual(
      sms.map((m) => m.body),
      ['Your order of €39.00 is almost done. https://shop.example/checkout/abc'],
    );
  });
});
