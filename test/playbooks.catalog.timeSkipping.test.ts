import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JourneyEvent } from '../schemas/events/schema';
import { zoneWhereHourIs } from '../tools/devstack/sampleCustomers';
import { upsertProfile } from '../store/profiles';
import { customerEvent, orderPlaced, uniqueId } from './support/events';
import {
  catalogEvent,
  emailOf,
  HOUR,
  playbookScenarios,
  shippedPlaybook,
  type PlaybookCase,
} from './support/shippedPlaybooks';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * The shipped catalog playbooks (back in stock, price drop, VIP early access), loaded from
 * playbooks/, on the real servers. Each scenario uses its own SKU (and for launches its own tier),
 * so a fan-out reaches only the scenario's customer.
 */

const skuOf = (event: JourneyEvent) => (event.data as { sku: string }).sku;

const backInStock: PlaybookCase = {
  id: 'back-in-stock',
  send: { step: 'back', after: 30 * 60_000 },
  async start(client, id) {
    const sku = uniqueId('SKU-DRESS');
    await client.publishEvent(customerEvent('wishlist.added', id, { sku }));
    return catalogEvent('product.back_in_stock', {
      sku,
      name: 'Linen dress',
      currency: 'EUR',
      completeTheLook: [
        { sku: 'SKU-SANDAL', name: 'Leather sandal', price: 59, url: 'https://shop.example/p/sandal' },
        { sku: 'SKU-HAT', name: 'Straw hat <wide>' },
      ],
    });
  },
  key: skuOf,
  goal: (id) => orderPlaced(id),
  checkMail(mail) {
    assert.equal(mail.subject, 'Linen dress is back in stock');
    assert.match(mail.text, /Linen dress is back in stock\.\nComplete the look:\n/);
    assert.match(
      mail.text,
      /- Leather sandal €59\.00: https:\/\/shop\.example\/p\/sandal\n- Straw hat <wide>\n/,
    );
    assert.match(mail.html, /<a href="https:\/\/shop\.example\/p\/sandal">Leather sandal<\/a> €59\.00/);
    assert.match(mail.html, /Straw hat &lt;wide&gt;/);
  },
};

const priceDrop: PlaybookCase = {
  id: 'price-drop',
  send: { step: 'drop', after: 15 * 60_000 },
  async start(client, id) {
    const sku = uniqueId('SKU-BAG');
    await client.publishEvent(customerEvent('wishlist.added', id, { sku }));
    return catalogEvent('product.price_dropped', {
      sku,
      name: 'Canvas tote',
      oldPrice: 80,
      newPrice: 60,
      currency: 'EUR',
    });
  },
  key: skuOf,
  goal: (id) => orderPlaced(id),
  checkMail(mail) {
    assert.equal(mail.subject, 'Canvas tote is now €60.00');
    assert.match(mail.text, /Canvas tote went down from €80\.00 to €60\.00\./);
  },
};

describe('the shipped catalog playbooks on the time-skipping server', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('catalog-playbooks');
  });
  after(async () => {
    await h?.close();
  });
  const scenarios = playbookScenarios(() => h);

  /**
   * A timezone where the run's clock (the test server's, ahead of the wall clock) reads about
   * 02:00, so the invitation waits for 09:00 there.
   */
  async function nightTimezone(): Promise<string> {
    return zoneWhereHourIs(2, await h.env.currentTimeMs());
  }
  const localHour = (iso: string, timeZone: string) =>
    Number(
      new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(iso)),
    );

  const vipTimezones = new Map<string, string>();
  const vip: PlaybookCase = {
    id: 'vip-early-access',
    send: { step: 'invite', after: 6 * HOUR },
    async start(_client, id) {
      const tier = uniqueId('gold');
      const timezone = await nightTimezone();
      vipTimezones.set(id, timezone);
      await upsertProfile(h.servers.collections.profiles, id, { loyaltyTier: tier, timezone }, new Date());
      return catalogEvent('product.launched', {
        sku: uniqueId('SKU-RUNNER'),
        name: 'Trail runner',
        price: 150,
        currency: 'EUR',
        generalReleaseAt: new Date(Date.now() + 3 * 24 * HOUR).toISOString(),
        earlyAccessTiers: [tier],
      });
    },
    key: skuOf,
    goal: (id) => orderPlaced(id),
    checkMail(mail) {
      assert.equal(mail.subject, 'Before anyone else: Trail runner');
      assert.match(
        mail.text,
        /As a gold-\S+ member you can buy Trail runner \(€150\.00\) now, before it goes on general sale on /,
      );
      assert.match(mail.html, /<b>Trail runner<\/b>/);
    },
  };

  for (const c of [backInStock, priceDrop, vip]) {
    describe(c.id, () => {
      it('fans out to its customer, waits, then sends the email', () => scenarios.sendsAfterItsWait(c));
      it('exits on its goal during the wait and sends nothing', () => scenarios.exitsOnItsGoal(c));
      it('sends nothing to its holdout arm', () => scenarios.holdsOut(c));
    });
  }

  it('vip early access: the invitation goes out at 09:00 local, not in the night', async () => {
    const { customerId, run } = await scenarios.enter(vip, 0);
    const { decisions } = await scenarios.result(run);
    const sent = decisions.find((d) => d.action === 'send');
    assert.equal(localHour(sent!.at, vipTimezones.get(customerId)!), 9);
  });

  it('vip early access: a launch without an early-access window invites nobody', async () => {
    const client = h.clientWith(shippedPlaybook(vip.id, 0));
    const id = uniqueId('late');
    const tier = uniqueId('gold');
    await upsertProfile(
      h.servers.collections.profiles,
      id,
      { email: emailOf(id), loyaltyTier: tier },
      new Date(),
    );
    const launch = catalogEvent('product.launched', {
      sku: uniqueId('SKU-RUNNER'),
      name: 'Trail runner',
      generalReleaseAt: new Date(Date.now() - HOUR).toISOString(),
      earlyAccessTiers: [tier],
    });
    assert.deepEqual((await client.publishEvent(launch)).deliveredTo, []);
  });

  it('back in stock: a product that sells out again during the wait is not announced', async () => {
    const { client, customerId, trigger, run } = await scenarios.enter(backInStock, 0);
    await client.publishEvent(catalogEvent('product.stock_changed', { sku: skuOf(trigger), inStock: false }));
    const { decisions } = await scenarios.result(run);
    assert.deepEqual(
      decisions.filter((d) => d.step === 'back').map((d) => [d.action, d.reason]),
      [['suppress', 'stale:product.inStock']],
    );
    assert.equal(scenarios.mailTo(customerId).length, 0);
  });
});
