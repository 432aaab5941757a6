import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { journeyId } from '../engine/interpreter/entry';
import type { OrderPlaced } from '../schemas/events/schema';
import { Offer, type OfferKind } from '../schemas/offers/schema';
import type { Playbook, PlaybookInput } from '../schemas/playbook/schema';
import { validatePlaybook } from '../schemas/playbook/validate';
import { upsertOffers } from '../store/offers';
import { upsertProfile } from '../store/profiles';
import type { JourneyResult } from '../workflows/journey';
import { customerEvent, orderPlaced, uniqueId } from './support/events';
import { recordHistory } from './support/histories';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * Offer decisions inside live journeys: the Java time-skipping server, a real worker with the real
 * decideOffer activity, offers and evidence in FerretDB, mail through real SMTP. The catalogs are
 * built so that the offers the guardrails must refuse would score best if they were let through.
 */

const DAY = 86_400_000;

/** After an order: decide an offer of the given kinds, then mail it. */
function offerPlaybook(id: string, kinds: OfferKind[], holdout = 0): Playbook {
  const { playbook, issues } = validatePlaybook({
    id,
    name: `Offer after an order (${kinds.join(', ')})`,
    version: 1,
    trigger: { event: 'order.placed' },
    entry: { reentry: 'afterExit' },
    maxDuration: '1d',
    holdout,
    success: { metric: { event: 'order.placed' }, window: '14d' },
    templates: {
      thanks: {
        subject: 'Thank you for your order',
        text: '{{#if offer.offerId}}Offer {{offer.offerId}}: {{offer.title}}{{else}}No offer{{/if}}',
      },
    },
    steps: [
      { id: 'decide', type: 'decideOffer', kinds },
      { id: 'thanks', type: 'send', channel: 'email', template: 'thanks' },
    ],
  } satisfies PlaybookInput);
  assert.deepEqual(issues, []);
  return playbook!;
}

/** Running shoes for 100 (cost ratio 0.6 by default: a 40% gross margin). */
function shoeOrder(customerId: string): OrderPlaced {
  return orderPlaced(customerId, {
    items: [{ sku: 'SKU-SHOE', category: 'running-shoes', price: 100, quantity: 1 }],
    total: 100,
  });
}

const offer = (input: Record<string, unknown>): Offer => Offer.parse(input);

describe('offer decisions in live journeys, on the real servers', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('offers');
  });
  after(async () => {
    await h?.close();
  });

  const email = (customerId: string) => `${customerId}@example.test`;
  const mailTo = (customerId: string) =>
    h.servers.smtp.messages.filter((m) => m.to.includes(email(customerId)));
  const result = (playbookId: string, customerId: string) =>
    h.env.client.workflow.getHandle(journeyId(playbookId, customerId)).result() as Promise<JourneyResult>;

  async function bronzeCustomer(prefix: string): Promise<string> {
    const id = uniqueId(prefix);
    await upsertProfile(
      h.servers.collections.profiles,
      id,
      { email: email(id), loyaltyTier: 'bronze' },
      new Date(),
    );
    return id;
  }

  it('never chooses an inactive, expired, wrong-tier or below-margin offer, however well it would score', async () => {
    const now = Date.now();
    // Each refused offer is worth far more in the long term than the one that may go.
    const tempting = { eligibleCategories: ['running-shoes'], longTermValue: 1000 };
    await upsertOffers(h.servers.collections.offers, [
      offer({
        kind: 'discount',
        offerId: 'own-inactive',
        title: 'Inactive',
        discountPercent: 5,
        active: false,
        ...tempting,
      }),
      offer({
        kind: 'discount',
        offerId: 'own-expired',
        title: 'Expired',
        discountPercent: 5,
        validTo: new Date(now - DAY).toISOString(),
        ...tempting,
      }),
      offer({
        kind: 'discount',
        offerId: 'own-platinum',
        title: 'Platinum only',
        discountPercent: 5,
        eligibleTiers: ['platinum'],
        ...tempting,
      }),
      // 45% off a basket that costs 60% of its price: (55 − 60) / 55 is a loss, under a 30% floor.
      offer({
        kind: 'discount',
        offerId: 'own-below-margin',
        title: 'Deep cut',
        discountPercent: 45,
        marginFloorPercent: 30,
        ...tempting,
      }),
      // 10% off: (90 − 60) / 90 = 33% ≥ 20%.
      offer({
        kind: 'discount',
        offerId: 'own-fair',
        title: '10% off your next run',
        discountPercent: 10,
        marginFloorPercent: 20,
        eligibleCategories: ['running-shoes'],
      }),
    ]);
    const playbook = offerPlaybook('offer-own', ['discount']);
    const client = h.clientWith(playbook);
    const customers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await bronzeCustomer('own');
      customers.push(id);
      await client.publishEvent(shoeOrder(id));
    }
    for (const id of customers) {
      const { decisions } = await result(playbook.id, id);
      const sent = decisions.find((d) => d.action === 'send');
      assert.equal(sent?.offerId, 'own-fair', `${id} was offered ${sent?.offerId}`);
      const [mail] = mailTo(id);
      assert.match(mail?.text ?? '', /Offer own-fair: 10% off your next run/);
    }
    // The decision is stored with its reasons and scores, under the decision's key.
    const grant = await h.servers.collections.offerGrants.findOne({ customerId: customers[0] });
    assert.equal(grant?.offerId, 'own-fair');
    assert.equal(grant?.arm, 'treatment');
    assert.equal(grant?._id.endsWith(':decide'), true);
    assert.ok(
      grant.decision.reasons.some((reason) => /margin .*floor/.test(reason)),
      grant.decision.reasons.join(' | '),
    );
    assert.ok(grant.decision.scores.expectedValue > 0);
    for (const rule of Object.keys(grant.decision.rejected)) assert.ok(grant.decision.rejected[rule]! > 0);
    assert.ok(Object.keys(grant.decision.rejected).length >= 3, JSON.stringify(grant.decision.rejected));
    // Every sent message is one impression of its offer, learned under the order's category.
    const shown = await h.servers.collections.offerOutcomes
      .find({ type: 'shown', offerId: 'own-fair' })
      .toArray();
    assert.equal(shown.length, customers.length);
    assert.ok(shown.every((outcome) => outcome.contextKey === 'running-shoes'));
  });

  it('never shows a partner offer next to a purchase in a category it excludes', async () => {
    await upsertOffers(h.servers.collections.offers, [
      // Socks sit next to running shoes, but this brand refuses to appear beside them.
      offer({
        kind: 'partner',
        offerId: 'partner-socks-excluded',
        title: 'Socks',
        brand: 'Rival',
        category: 'running-socks',
        neverNextTo: ['running-shoes'],
        payoutModel: 'cpc',
        payout: 50,
      }),
      // A shoe brand next to a shoe purchase: the buyer just chose a competitor.
      offer({
        kind: 'partner',
        offerId: 'partner-shoes-rival',
        title: 'Other shoes',
        brand: 'Rival',
        category: 'running-shoes',
        neverNextTo: ['running-shoes'],
        payoutModel: 'cpc',
        payout: 50,
      }),
      offer({
        kind: 'partner',
        offerId: 'partner-watch',
        title: 'A watch for your runs',
        brand: 'Tick',
        category: 'sports-watches',
        payoutModel: 'cpc',
        payout: 0.5,
      }),
    ]);
    const playbook = offerPlaybook('offer-partner', ['partner']);
    const client = h.clientWith(playbook);
    const customers: string[] = [];
    for (let i = 0; i < 8; i++) {
      const id = await bronzeCustomer('partner');
      customers.push(id);
      await client.publishEvent(shoeOrder(id));
    }
    for (const id of customers) {
      const { decisions } = await result(playbook.id, id);
      assert.equal(decisions.find((d) => d.action === 'send')?.offerId, 'partner-watch');
      assert.match(mailTo(id)[0]?.text ?? '', /Offer partner-watch/);
    }
    const grant = await h.servers.collections.offerGrants.findOne({ customerId: customers[0] });
    assert.equal(grant?.decision.rejected['never-next-to'], 2);
  });

  it('decides an offer and sends in one task with one profile read, the send writing the decisions', async () => {
    const playbook = offerPlaybook('offer-task', ['discount']);
    const id = await bronzeCustomer('task');
    await h.clientWith(playbook).publishEvent(shoeOrder(id));
    const { decisions } = await result(playbook.id, id);
    const handle = h.env.client.workflow.getHandle(journeyId(playbook.id, id));
    // The first task's local activities, in order, up to the send it ends with.
    const events = (await handle.fetchHistory()).events ?? [];
    const firstTask: string[] = [];
    for (const event of events) {
      if (event.activityTaskScheduledEventAttributes) break;
      const marker = event.markerRecordedEventAttributes;
      const data = marker?.markerName === 'core_local_activity' && marker.details?.data?.payloads?.[0]?.data;
      if (data)
        firstTask.push((JSON.parse(Buffer.from(data).toString()) as { activity_type: string }).activity_type);
    }
    // One profile read, and no local activity to write decisions: the send carries them
    // (FEWER_LOCAL_ACTIVITIES). Before, the send step read the profile the offer step had just read,
    // and a recordDecisions local activity ran before each store call and before the send.
    assert.deepEqual(firstTask, ['loadProfile', 'decideOffer']);
    // Every decision is still recorded, numbered in order.
    const recorded = await h.servers.collections.decisions
      .find({ journeyId: journeyId(playbook.id, id) })
      .sort({ seq: 1 })
      .toArray();
    assert.deepEqual(
      recorded.map((d) => [d.seq, d.action, d.step ?? null]),
      decisions.map((d, seq) => [seq, d.action, d.step ?? null]),
    );
    await recordHistory('offer-fewer-local-activities', handle);
  });

  it('gives a control customer no message, but the same decision as an exposure record', async () => {
    const playbook = offerPlaybook('offer-holdout', ['discount'], 1);
    const id = await bronzeCustomer('held');
    await h.clientWith(playbook).publishEvent(shoeOrder(id));
    const { decisions } = await result(playbook.id, id);
    assert.deepEqual(
      decisions.filter((d) => d.action === 'holdout').map((d) => [d.step, d.reason, d.offerId]),
      [['thanks', 'holdout', 'own-fair']],
    );
    assert.equal(mailTo(id).length, 0);
    const grant = await h.servers.collections.offerGrants.findOne({ customerId: id });
    assert.equal(grant?.arm, 'control');
    assert.equal(grant?.offerId, 'own-fair');
    const exposure = await h.servers.collections.deliveries.findOne({ customerId: id });
    assert.equal(exposure?.status, 'suppressed');
    assert.equal(exposure?.reason, 'holdout');
    assert.deepEqual(exposure?.offer, { offerId: 'own-fair', contextKey: 'running-shoes' });
    // Nothing was shown, so the model learns nothing from it.
    assert.equal(await h.servers.collections.offerOutcomes.countDocuments({ customerId: id }), 0);
  });

  it('learns from clicks once per message, earns partner payouts, and counts redemptions', async () => {
    const playbook = offerPlaybook('offer-partner', ['partner']);
    const client = h.clientWith(playbook);
    const id = await bronzeCustomer('clicker');
    await client.publishEvent(shoeOrder(id));
    await result(playbook.id, id);
    const messageId = uniqueId('msg');
    const click = customerEvent('message.engaged', id, {
      messageId,
      kind: 'clicked',
      offerId: 'partner-watch',
    });
    await client.publishEvent(click);
    await client.publishEvent(click); // the same event again
    await client.publishEvent(
      customerEvent('message.engaged', id, { messageId, kind: 'clicked', offerId: 'partner-watch' }),
    );
    await client.publishEvent(
      customerEvent('message.engaged', id, { messageId, kind: 'opened', offerId: 'partner-watch' }),
    );
    const outcomes = await h.servers.collections.offerOutcomes
      .find({ customerId: id })
      .sort({ type: 1 })
      .toArray();
    assert.deepEqual(
      outcomes.map((o) => [o.type, o.offerId, o.contextKey, o.amount ?? null]),
      [
        ['engaged', 'partner-watch', 'running-shoes', null],
        ['paid', 'partner-watch', 'running-shoes', 0.5],
        ['shown', 'partner-watch', 'running-shoes', null],
      ],
    );
    // An order that redeems two offers shares its discount between them, once however often it is published.
    const order = orderPlaced(id, { offerIds: ['own-fair', 'own-other'], discount: 12 });
    await client.publishEvent(order);
    await client.publishEvent(order);
    await result(playbook.id, id); // the order entered the playbook again: let that run finish
    const redeemed = await h.servers.collections.offerOutcomes
      .find({ customerId: id, type: 'redeemed' })
      .sort({ offerId: 1 })
      .toArray();
    assert.deepEqual(
      redeemed.map((o) => [o.offerId, o.amount]),
      [
        ['own-fair', 6],
        ['own-other', 6],
      ],
    );
  });

  it('prefers the offer customers engaged with, learned from the evidence in MongoDB', async () => {
    // Two insoles brands, equal in every rule and payout: only the evidence tells them apart.
    const insoles = (offerId: string) =>
      offer({
        kind: 'partner',
        offerId,
        title: offerId,
        brand: offerId,
        category: 'insoles',
        payoutModel: 'cpc',
        payout: 2,
      });
    await upsertOffers(h.servers.collections.offers, [insoles('insoles-loved'), insoles('insoles-ignored')]);
    const at = new Date();
    const evidence = (offerId: string, shown: number, engaged: number) =>
      [
        ...Array.from({ length: shown }, (_, i) => ({
          _id: `shown:seed-${offerId}-${i}`,
          type: 'shown' as const,
        })),
        ...Array.from({ length: engaged }, (_, i) => ({
          _id: `engaged:seed-${offerId}-${i}`,
          type: 'engaged' as const,
        })),
      ].map((outcome) => ({
        ...outcome,
        offerId,
        contextKey: 'running-shoes',
        at,
        day: Math.floor(at.getTime() / DAY),
      }));
    await h.servers.collections.offerOutcomes.insertMany([
      ...evidence('insoles-loved', 200, 60),
      ...evidence('insoles-ignored', 200, 2),
    ]);
    // The watch from the tests before would compete too (this test runs last): only insoles remain.
    await h.servers.collections.offers.updateOne({ offerId: 'partner-watch' }, { $set: { active: false } });
    const playbook = offerPlaybook('offer-learned', ['partner']);
    const client = h.clientWith(playbook);
    const chosen: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = await bronzeCustomer('learner');
      await client.publishEvent(shoeOrder(id));
      const { decisions } = await result(playbook.id, id);
      chosen.push(decisions.find((d) => d.action === 'send')?.offerId ?? 'none');
    }
    const loved = chosen.filter((offerId) => offerId === 'insoles-loved').length;
    // 30% against 1% engagement: all but the explored share (15%, half of it landing on either) go to it.
    assert.ok(loved >= 14, `chosen: ${chosen.join(', ')}`);
    assert.ok(
      chosen.every((offerId) => offerId.startsWith('insoles-')),
      chosen.join(', '),
    );
  });
});
