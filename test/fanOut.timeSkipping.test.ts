import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { journeyId } from '../engine/interpreter/entry';
import type { Decision } from '../engine/interpreter/types';
import type { CatalogEvent, JourneyEvent } from '../schemas/events/schema';
import type { Playbook, PlaybookInput } from '../schemas/playbook/schema';
import { validatePlaybook } from '../schemas/playbook/validate';
import { simulate } from '../simulator/simulate';
import { collections, ensureIndexes } from '../store/collections';
import type { JourneyResult } from '../workflows/journey';
import { customerEvent, uniqueId } from './support/events';
import { startTimeSkippingHarness, TEST_HOLDOUT, type TimeSkippingHarness } from './support/timeSkipping';

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
    holdout: 0,
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

  async function publishAll(playbooks: Playbook[], events: JourneyEvent[]): Promise<void> {
    const client = h.clientWith(playbooks);
    for (const event of events) await client.publishEvent(event);
  }
  /** Waits for each run to end; one at a time, as the time-skipping server wants it. */
  async function liveDecisions(playbook: Playbook, customers: string[]): Promise<Decision[]> {
    const decisions: Decision[] = [];
    for (const id of customers) {
      const handle = h.env.client.workflow.getHandle(journeyId(playbook.id, id));
      decisions.push(...((await handle.result()) as JourneyResult).decisions);
    }
    return decisions;
  }
  const customersWith = (decisions: Decision[], action: Decision['action']) =>
    [...new Set(decisions.filter((d) => d.action === action).map((d) => d.customerId))].sort();

  it('a restock reaches who wishlisted or viewed the SKU lately, once, and the simulator agrees', async () => {
    const playbook = catalogPlaybook('restock', {
      event: 'product.back_in_stock',
      fanOut: { to: ['wishlisted', 'viewed'], lookback: '90d' },
    });
    const sku = uniqueId('SKU');
    const [ann, ben, cat, dov, eli] = ['ann', 'ben', 'cat', 'dov', 'eli'].map((n) => uniqueId(n)) as [
      string,
      string,
      string,
      string,
      string,
    ];
    const interactions: JourneyEvent[] = [
      ...[ann, ben, cat, dov, eli].map((id) => profile(id)),
      { ...customerEvent('wishlist.added', ann, { sku }), occurredAt: ago(1) },
      { ...customerEvent('product.viewed', ben, { sku }), occurredAt: ago(10) },
      { ...customerEvent('wishlist.added', cat, { sku }), occurredAt: ago(5) },
      { ...customerEvent('product.viewed', cat, { sku }), occurredAt: ago(2) },
      { ...customerEvent('product.viewed', dov, { sku: `${sku}-OTHER` }), occurredAt: ago(1) },
      { ...customerEvent('product.viewed', eli, { sku }), occurredAt: ago(200) },
    ];
    await publishAll([playbook], interactions);

    const restock = catalogEvent('product.back_in_stock', { sku, name: 'Linen shirt' });
    const client = h.clientWith(playbook);
    const reached = [ann, ben, cat].map((id) => journeyId(playbook.id, id)).sort();
    assert.deepEqual(await client.publishEvent(restock), {
      eventId: restock.eventId,
      status: 'accepted',
      deliveredTo: reached,
    });
    const runIds = await Promise.all(
      reached.map(async (id) => (await h.env.client.workflow.getHandle(id).describe()).runId),
    );

    // Published again: the inbox drops it.
    assert.deepEqual(await client.publishEvent(restock), {
      eventId: restock.eventId,
      status: 'duplicate',
      deliveredTo: reached,
    });
    // As if the first publisher had died mid fan-out: routed again, it reaches the same live runs.
    await h.servers.collections.events.updateOne(
      { eventId: restock.eventId },
      { $set: { status: 'received' } },
    );
    assert.deepEqual((await client.publishEvent(restock)).deliveredTo, reached);

    const live = await liveDecisions(playbook, [ann, ben, cat]);
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
    const entries = await h.servers.collections.entries.find({ entryEventId: restock.eventId }).toArray();
    assert.deepEqual(entries.map((e) => e.customerId).sort(), [ann, ben, cat].sort());

    // Offline, the same events reach the same customers, who get the same emails.
    const offline = simulate([...interactions, restock], { playbooks: [playbook], holdout: TEST_HOLDOUT });
    assert.deepEqual(customersWith(offline.decisions, 'enter'), customersWith(live, 'enter'));
    assert.deepEqual(customersWith(offline.decisions, 'send'), [ann, ben, cat].sort());
    assert.deepEqual(customersWith(live, 'send'), [ann, ben, cat].sort());
  });

  it('a launch reaches the top tiers: the playbook’s, or the event’s early-access ones', async () => {
    const fixed = catalogPlaybook('vip-gold', {
      event: 'product.launched',
      fanOut: { to: ['tier'], tiers: ['gold'] },
    });
    const early = catalogPlaybook('vip-early', { event: 'product.launched', fanOut: { to: ['tier'] } });
    const tag = uniqueId('t');
    const gold = [`${tag}-gold-1`, `${tag}-gold-2`];
    const platinum = `${tag}-platinum`;
    const others = [`${tag}-silver`, `${tag}-none`];
    const profiles = [
      ...gold.map((id) => profile(id, 'gold')),
      profile(platinum, 'platinum'),
      profile(others[0]!, 'silver'),
      profile(others[1]!),
    ];
    await publishAll([fixed, early], profiles);

    const launch = catalogEvent('product.launched', {
      sku: uniqueId('SKU'),
      name: 'Trail runner',
      earlyAccessTiers: ['platinum'],
    });
    const result = await h.clientWith([fixed, early]).publishEvent(launch);
    assert.deepEqual(
      result.deliveredTo,
      [...gold.map((id) => journeyId(fixed.id, id)), journeyId(early.id, platinum)].sort(),
    );

    const live = [...(await liveDecisions(fixed, gold)), ...(await liveDecisions(early, [platinum]))];
    assert.deepEqual(customersWith(live, 'send'), [...gold, platinum].sort());
    for (const id of [...gold, platinum]) assert.equal(mailTo(id).length, 1);
    for (const id of others) assert.equal(mailTo(id).length, 0);

    const offline = simulate([...profiles, launch], { playbooks: [fixed, early], holdout: TEST_HOLDOUT });
    assert.deepEqual(customersWith(offline.decisions, 'send'), customersWith(live, 'send'));
  });

  it('ensureIndexes replaces the entry index of a database made before fan-out', async () => {
    const db = h.servers.db.client.db(`${h.servers.db.databaseName}_old`);
    const { entries } = collections(db);
    await entries.createIndex({ playbookId: 1, entryEventId: 1 }, { unique: true, name: 'entry_unique' });
    await ensureIndexes(db);
    const index = (await entries.indexes()).find((i) => i.name === 'entry_unique');
    assert.deepEqual(index?.key, { playbookId: 1, entryEventId: 1, customerId: 1 });
    assert.equal(index?.unique, true);
    await db.dropDatabase();
  });
});
