import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { journeyId } from '../engine/interpreter/entry';
import type { Decision } from '../engine/interpreter/types';
import type { CatalogEvent, JourneyEvent, JourneyEventInput } from '../events/schema';
import type { Playbook, PlaybookInput } from '../playbooks/schema';
import { validatePlaybook } from '../playbooks/validate';
import { simulate } from '../simulator/simulate';
import type { JourneyResult } from '../workflows/journey';
import { customerEvent, uniqueId } from './support/events';
import { startTimeSkippingHarness, TEST_SALT, type TimeSkippingHarness } from './support/timeSkipping';

const DAY = 86_400_000;

/** A one-email playbook for a catalog trigger; validated like a file, so the rules apply. */
function catalogPlaybook(id: string, trigger: PlaybookInput['trigger']): Playbook {
  const { playbook, issues } = validatePlaybook({
    id,
    name: id,
    version: 1,
    trigger,
    entry: { reentry: 'never' },
    maxDuration: '2d',
    holdoutPercent: 0,
    success: { metric: { event: 'order.placed' }, window: '7d' },
    templates: {
      news: {
        subject: '{{trigger.data.sku}} for you',
        text: 'Hi {{profile.firstName}}, {{trigger.data.sku}} is here.',
      },
    },
    // The wait keeps runs live while the test publishes again.
    steps: [
      { id: 'pause', type: 'wait', duration: '1h' },
      { id: 'news', type: 'send', channel: 'email', template: 'news' },
    ],
  } satisfies PlaybookInput);
  assert.deepEqual(issues, []);
  return playbook!;
}

function catalogEvent<T extends CatalogEvent>(type: T['type'], data: T['data']): T {
  return { type, eventId: uniqueId(`evt-${type}`), occurredAt: new Date().toISOString(), data } as T;
}

const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe('catalog events fan out on the time-skipping test server', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('fanout');
  });
  after(async () => {
    await h?.close();
    console.log('STEP 1');
  });

  const mailTo = (customerId: string) =>
    h.servers.smtp.messages.filter((m) => m.to.includes(email(customerId)));
  const email = (customerId: string) => `${customerId}@example.test`;
  const profile = (id: string, loyaltyTier?: string) =>
    customerEvent('customer.upserted', id, {
      email: email(id),
      firstName: 'Test',
      ...(loyaltyTier !== undefined && { loyaltyTier }),
    });
    console.log('STEP 2');

  /** Publishes events through the client, in order; returns them as the simulator should replay them. */
  async function publishAll(playbooks: Playbook[], events: JourneyEvent[]): Promise<void> {
    for (const event of events) await h.clientWith(playbooks).publishEvent(event as JourneyEventInput);
    console.log('STEP 3');
  }
  async function liveDecisions(playbook: Playbook, customers: string[]): Promise<Decision[]> {
    const results = await Promise.all(
      customers.map(
        (id) =>
          h.env.client.workflow.getHandle(journeyId(playbook.id, id)).result() as Promise<JourneyResult>,
      ),
    );
    return results.flatMap((result) => result.decisions);
  }
  const customersWith = (decisions: Decision[], action: Decision['action']) =>
    [...new Set(decisions.filter((d) => d.action === action).map((d) => d.customerId))].sort();

  it('a restock reaches who wishlisted or viewed the SKU lately, once, and the simulator agrees', async () => {
    const playbook = catalogPlaybook('restock', {
      event: 'product.back_in_stock',
      fanOut: { to: ['wishlisted', 'viewed'], lookback: '90d' },
    });
    console.log('STEP 4');
    const sku = uniqueId('SKU');
    console.log('STEP 5');
    const [ann, ben, cat, dov, eli] = ['ann', 'ben', 'cat', 'dov', 'eli'].map((n) => uniqueId(n)) as [
      string,
      string,
      string,
      string,
      string,
    ];
    console.log('STEP 6');
    const interactions: JourneyEvent[] = [
      ...[ann, ben, cat, dov, eli].map((id) => profile(id)),
      { ...customerEvent('wishlist.added', ann, { sku }), occurredAt: ago(1) },
      { ...customerEvent('product.viewed', ben, { sku }), occurredAt: ago(10) },
      { ...customerEvent('wishlist.added', cat, { sku }), occurredAt: ago(5) },
      { ...customerEvent('product.viewed', cat, { sku }), occurredAt: ago(2) },
      { ...customerEvent('product.viewed', dov, { sku: `${sku}-OTHER` }), occurredAt: ago(1) },
      { ...customerEvent('product.viewed', eli, { sku }), occurredAt: ago(200) },
    ];
    console.log('STEP 7');
    await publishAll([playbook], interactions);
    console.log('STEP 8');

    const restock = catalogEvent('product.back_in_stock', { sku, name: 'Linen shirt' });
    console.log('STEP 9');
    const client = h.clientWith(playbook);
    console.log('STEP 10');
    const reached = [ann, ben, cat].map((id) => journeyId(playbook.id, id)).sort();
    console.log('STEP 11');
    assert.deepEqual(await client.publishEvent(restock), {
      eventId: restock.eventId,
      status: 'accepted',
      deliveredTo: reached,
    });
    console.log('STEP 12');
    const runIds = await Promise.all(
      reached.map(async (id) => (await h.env.client.workflow.getHandle(id).describe()).runId),
    );

    // Published again: the inbox drops it.
    assert.deepEqual(await client.publishEvent(restock), {
      eventId: restock.eventId,
      status: 'duplicate',
      deliveredTo: reached,
    });
    console.log('STEP 13');
    // As if the first publisher had died mid fan-out: routed again, it reaches the same live runs.
    await h.servers.collections.events.updateOne(
      { eventId: restock.eventId },
      { $set: { status: 'received' } },
    );
    assert.deepEqual((await client.publishEvent(restock)).deliveredTo, reached);
    console.log('STEP 14');

    const live = await liveDecisions(playbook, [ann, ben, cat]);
    console.log('STEP 15');
    for (const [i, id] of reached.entries()) {
      assert.equal(
        (await h.env.client.workflow.getHandle(id).describe()).runId,
        runIds[i],
        `${id} was restarted`,
      );
    }
    for (const id of [ann, ben, cat]) {
      const mails = mailTo(id);
      assert.equal(mails.length, 1, `${id} got ${mails.length} emails`);
      assert.equal(mails[0]?.subject, `${sku} for you`);
    }
    assert.equal(mailTo(dov).length + mailTo(eli).length, 0);
    console.log('STEP 16');
    const entries = await h.servers.collections.entries.find({ entryEventId: restock.eventId }).toArray();
    console.log('STEP 17');
    assert.deepEqual(entries.map((e) => e.customerId).sort(), [ann, ben, cat].sort());
    console.log('STEP 18');

    // Offline, the same events reach the same customers, who get the same emails.
    const offline = simulate([...interactions, restock], { playbooks: [playbook], holdoutSalt: TEST_SALT });
    console.log('STEP 19');
    assert.deepEqual(customersWith(offline.decisions, 'enter'), customersWith(live, 'enter'));
    console.log('STEP 20');
    assert.deepEqual(customersWith(offline.decisions, 'send'), [ann, ben, cat].sort());
    console.log('STEP 21');
    assert.deepEqual(customersWith(live, 'send'), [ann, ben, cat].sort());
    console.log('STEP 22');
  });

  it('a launch reaches the top tiers: the playbook’s, or the event’s early-access ones', async () => {
    const fixed = catalogPlaybook('vip-gold', {
      event: 'product.launched',
      fanOut: { to: ['tier'], tiers: ['gold'] },
    });
    console.log('STEP 23');
    const early = catalogPlaybook('vip-early', { event: 'product.launched', fanOut: { to: ['tier'] } });
    console.log('STEP 24');
    const tag = uniqueId('t');
    console.log('STEP 25');
    const gold = [`${tag}-gold-1`, `${tag}-gold-2`];
    console.log('STEP 26');
    const platinum = `${tag}-platinum`;
    console.log('STEP 27');
    const others = [`${tag}-silver`, `${tag}-none`];
    console.log('STEP 28');
    const profiles = [
      ...gold.map((id) => profile(id, 'gold')),
      profile(platinum, 'platinum'),
      profile(others[0]!, 'silver'),
      profile(others[1]!),
    ];
    console.log('STEP 29');
    await publishAll([fixed, early], profiles);
    console.log('STEP 30');

    const launch = catalogEvent('product.launched', {
      sku: uniqueId('SKU'),
      name: 'Trail runner',
      earlyAccessTiers: ['platinum'],
    });
    console.log('STEP 31');
    const result = await h.clientWith([fixed, early]).publishEvent(launch);
    console.log('STEP 32');
    assert.deepEqual(
      result.deliveredTo,
      [...gold.map((id) => journeyId(fixed.id, id)), journeyId(early.id, platinum)].sort(),
    );

    const live = [...(await liveDecisions(fixed, gold)), ...(await liveDecisions(early, [platinum]))];
    console.log('STEP 33');
    assert.deepEqual(customersWith(live, 'send'), [...gold, platinum].sort());
    console.log('STEP 34');
    for (const id of [...gold, platinum]) assert.equal(mailTo(id).length, 1);
    console.log('STEP 35');
    for (const id of others) assert.equal(mailTo(id).length, 0);
    console.log('STEP 36');

    const offline = simulate([...profiles, launch], { playbooks: [fixed, early], holdoutSalt: TEST_SALT });
    console.log('STEP 37');
    assert.deepEqual(customersWith(offline.decisions, 'send'), customersWith(live, 'send'));
    console.log('STEP 38');
  });
});
