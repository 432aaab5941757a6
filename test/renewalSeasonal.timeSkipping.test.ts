import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { customerInArm, zoneWhereHourIs } from '../tools/devstack/sampleCustomers';
import { journeyId } from '../engine/interpreter/entry';
import type { Decision } from '../engine/interpreter/types';
import type { JourneyEvent } from '../schemas/events/schema';
import { Offer } from '../schemas/offers/schema';
import { loadPlaybooks } from '../schemas/playbook/load';
import type { Playbook } from '../schemas/playbook/schema';
import { simulate } from '../simulator/simulate';
import { upsertOffers } from '../store/offers';
import { updateProfileFields } from '../store/profiles';
import type { JourneyResult } from '../workflows/journey';
import { seasonalMomentWorkflow, seasonEventId, type SeasonalMomentInput } from '../workflows/seasonalMoment';
import { customerEvent, orderPlaced, uniqueId } from './support/events';
import { startTimeSkippingHarness, TEST_HOLDOUT, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * Renewal-and-save and seasonal nudges on the Java time-skipping server with a real worker, real
 * MongoDB-wire store and SMTP: waits of weeks take milliseconds. The shipped playbooks, holdouts
 * included (10%); customers are picked in the arm each case needs.
 */

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const shipped = (id: string): Playbook => {
  const found = loadPlaybooks(`${__dirname}/../playbooks`).find((p) => p.id === id);
  if (!found) throw new Error(`playbook ${id} is missing`);
  return found;
};
/** A local timezone where it is about 02:00 at `now`, so a 09:00–20:00 wait is still hours long. */
const nightZone = (now: number) => zoneWhereHourIs(2, now);
const sends = (decisions: Decision[]) =>
  decisions
    .filter((d) => d.action === 'send')
    .map((d) => ({ customerId: d.customerId, step: d.step, at: d.at }))
    .sort((a, b) => `${a.customerId}${a.at}`.localeCompare(`${b.customerId}${b.at}`));
const customersWith = (decisions: Decision[], action: Decision['action']) =>
  [...new Set(decisions.filter((d) => d.action === action).map((d) => d.customerId))].sort();

describe('renewal-and-save and seasonal nudges on the time-skipping test server', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('renewal-seasonal');
  });
  after(async () => {
    await h?.close();
  });

  const email = (customerId: string) => `${customerId}@example.test`;
  const mailTo = (customerId: string) =>
    h.servers.smtp.messages.filter((m) => m.to.includes(email(customerId)));
  const inArm = (prefix: string, arm: 'treatment' | 'control', playbook: Playbook) =>
    customerInArm(uniqueId(prefix), arm, TEST_HOLDOUT, playbook.id, playbook.holdout);
  /** One at a time: each wait on a result lets the server skip time. */
  async function results(playbook: Playbook, runs: [string, string?][]): Promise<Map<string, JourneyResult>> {
    const out = new Map<string, JourneyResult>();
    for (const [customerId, key] of runs) {
      const handle = h.env.client.workflow.getHandle(journeyId(playbook.id, customerId, key));
      out.set(customerId, (await handle.result()) as JourneyResult);
    }
    return out;
  }

  it('renewal: reminder at renewsAt − 14d, save offer 5 days before to the at-risk only, renewed exits, holdout gets nothing', async () => {
    const playbook = shipped('renewal-save');
    const client = h.clientWith([playbook]);
    const offers = [
      Offer.parse({
        kind: 'discount',
        offerId: 'stay-10',
        title: '10% off your next year',
        discountPercent: 10,
        longTermValue: 120,
      }),
    ];
    await upsertOffers(h.servers.collections.offers, offers);
    const risky = inArm('risky', 'treatment', playbook);
    const calm = inArm('calm', 'treatment', playbook);
    const renewer = inArm('renewer', 'treatment', playbook);
    const held = inArm('held', 'control', playbook);

    const now = await h.env.currentTimeMs();
    const renewsAt = now + 20 * DAY;
    const at = (event: JourneyEvent, ms: number): JourneyEvent => ({ ...event, occurredAt: iso(ms) });
    const risk: Record<string, number> = { [risky]: 0.8, [calm]: 0.1, [renewer]: 0.9, [held]: 0.9 };
    const events: JourneyEvent[] = [
      ...Object.entries(risk).map(([id, churnRisk]) =>
        at(
          customerEvent('customer.upserted', id, { email: email(id), attributes: { churnRisk } }),
          now - DAY,
        ),
      ),
      ...Object.keys(risk).map((id) =>
        at(
          customerEvent('subscription.renewal_due', id, {
            subscriptionId: `sub-${id}`,
            renewsAt: iso(renewsAt),
            plan: 'Plus',
            price: 99,
            currency: 'EUR',
          }),
          now,
        ),
      ),
      // Renewed before any reminder: the run ends on its goal.
      at(customerEvent('subscription.renewed', renewer, { subscriptionId: `sub-${renewer}` }), now + 1_000),
    ];
    for (const event of events) await client.publishEvent(event);

    const runs = await results(
      playbook,
      [risky, calm, renewer, held].map((id) => [id, `sub-${id}`]),
    );
    const decisions = [...runs.values()].flatMap((r) => r.decisions);

    const expected = [
      { customerId: risky, step: 'benefits', at: iso(renewsAt - 14 * DAY) },
      { customerId: risky, step: 'save-offer', at: iso(renewsAt - 5 * DAY) },
      { customerId: calm, step: 'benefits', at: iso(renewsAt - 14 * DAY) },
    ].sort((a, b) => `${a.customerId}${a.at}`.localeCompare(`${b.customerId}${b.at}`));
    // The timer fires at the instant; the send is logged after its activities, which take a few
    // milliseconds of the server's clock too.
    const live = sends(decisions);
    assert.deepEqual(
      live.map(({ customerId, step }) => ({ customerId, step })),
      expected.map(({ customerId, step }) => ({ customerId, step })),
    );
    live.forEach((send, i) => {
      const late = Date.parse(send.at) - Date.parse(expected[i]!.at);
      assert.ok(late >= 0 && late < 5_000, `${send.step} for ${send.customerId} at ${send.at}`);
    });
    assert.equal(decisions.find((d) => d.step === 'save-offer')?.offerId, 'stay-10');
    assert.deepEqual(runs.get(calm)?.outcome, { status: 'exited', reason: 'not-at-risk' });
    assert.equal((runs.get(renewer)?.outcome as { reason?: string }).reason, 'goal:subscription.renewed');
    const [reminder, save] = mailTo(risky).map((m) => m.subject ?? '');
    assert.match(reminder ?? '', /^Your Plus plan renews on /);
    assert.equal(save, 'Stay with us: 10% off your next year');
    assert.equal(mailTo(risky).length, 2);
    assert.equal(mailTo(calm).length, 1);
    assert.equal(mailTo(renewer).length, 0);
    assert.equal(mailTo(held).length, 0, 'the holdout arm receives nothing');
    assert.ok(customersWith(decisions, 'holdout').includes(held));

    // Offline, the same events give the same sends at the same instants.
    const offline = simulate(events, { playbooks: [playbook], holdout: TEST_HOLDOUT, offers });
    assert.deepEqual(sends(offline.decisions), expected);
  });

  it('seasonal: the moment publishes once, its cohort gets the nudge, others and the holdout do not, an order exits', async () => {
    const nudges = shipped('seasonal-nudges');
    // The moment workflow publishes through the client made last: this one.
    const client = h.clientWith([nudges]);
    const buyer = inArm('buyer', 'treatment', nudges);
    const gold = inArm('gold', 'treatment', nudges);
    const tagged = inArm('tagged', 'treatment', nudges);
    const outsider = inArm('outsider', 'treatment', nudges);
    const held = inArm('held', 'control', nudges);
    const leaver = inArm('leaver', 'treatment', nudges);

    const now = await h.env.currentTimeMs();
    const before = iso(now - 3 * DAY);
    const coat = { sku: 'COAT-1', category: 'outerwear', price: 120, quantity: 1 };
    const tee = { sku: 'TEE-1', category: 'tops', price: 20, quantity: 1 };
    const profile = (id: string, extra: Record<string, string> = {}) => ({
      ...customerEvent('customer.upserted', id, { email: email(id), firstName: 'Sam', ...extra }),
      occurredAt: before,
    });
    const history: JourneyEvent[] = [
      profile(buyer),
      profile(gold, { loyaltyTier: 'gold' }),
      profile(tagged),
      profile(outsider),
      profile(held),
      profile(leaver, { timezone: nightZone(now) }),
      { ...orderPlaced(buyer, { items: [coat] }), occurredAt: before },
      { ...orderPlaced(held, { items: [coat] }), occurredAt: before },
      { ...orderPlaced(leaver, { items: [coat] }), occurredAt: before },
      { ...orderPlaced(outsider, { items: [tee] }), occurredAt: before },
    ];
    for (const event of history) await client.publishEvent(event);
    // Tags are written by playbooks' update steps, not by events.
    await updateProfileFields(
      h.servers.collections.profiles,
      tagged,
      { addTags: ['deal-seeker'] },
      new Date(),
    );

    const moment: SeasonalMomentInput = {
      momentId: uniqueId('black-friday'),
      name: 'Black Friday',
      cohort: {
        ordered: { categories: ['outerwear'], within: '30d' },
        tiers: ['gold'],
        tags: ['deal-seeker'],
      },
      hints: { headline: 'Black Friday starts now', category: 'outerwear' },
      scheduledAt: iso(now),
    };
    const run = (workflowId: string) =>
      h.env.client.workflow.execute(seasonalMomentWorkflow, {
        args: [moment],
        taskQueue: h.taskQueue,
        workflowId,
      });
    const eventId = seasonEventId(moment.momentId, iso(now));
    assert.deepEqual(await run(uniqueId('season-moment')), { eventId, status: 'accepted' });
    // The same slot again (an overlap, a retry, a manual re-run): the inbox drops it.
    assert.deepEqual(await run(uniqueId('season-moment')), { eventId, status: 'duplicate' });

    // The leaver waits for 09:00 local; their order ends the run before the nudge.
    const leaverOrder = { ...orderPlaced(leaver, { items: [tee] }), occurredAt: iso(now + 60_000) };
    await client.publishEvent(leaverOrder);

    const live = await results(nudges, [[buyer], [gold], [tagged], [held], [leaver]]);
    const decisions = [...live.values()].flatMap((r) => r.decisions);
    for (const id of [buyer, gold, tagged]) {
      assert.deepEqual(
        mailTo(id).map((m) => m.subject),
        ['Black Friday starts now'],
        `${id} gets one nudge`,
      );
      assert.match(mailTo(id)[0]?.text ?? '', /Black Friday starts now: have a look at outerwear/);
    }
    assert.equal(mailTo(held).length, 0, 'the holdout arm receives nothing');
    assert.equal(mailTo(leaver).length, 0);
    assert.equal(mailTo(outsider).length, 0);
    assert.equal((live.get(leaver)?.outcome as { reason?: string }).reason, 'goal:order.placed');
    await assert.rejects(
      h.env.client.workflow.getHandle(journeyId(nudges.id, outsider)).describe(),
      WorkflowNotFoundError,
    );
    const entries = await h.servers.collections.entries.find({ entryEventId: eventId }).toArray();
    assert.deepEqual(entries.map((e) => e.customerId).sort(), [buyer, gold, tagged, held, leaver].sort());

    // Offline, from the events alone: the same entries, except the tag, which no event carries.
    const seasonEvent = await h.servers.collections.events.findOne({ eventId });
    assert.ok(seasonEvent);
    const offline = simulate([...history, seasonEvent.payload, leaverOrder], {
      playbooks: [nudges],
      holdout: TEST_HOLDOUT,
    });
    assert.deepEqual(customersWith(offline.decisions, 'enter'), [buyer, gold, held, leaver].sort());
    assert.deepEqual(
      customersWith(offline.decisions, 'send'),
      customersWith(decisions, 'send').filter((id) => id !== tagged),
    );
  });
});
