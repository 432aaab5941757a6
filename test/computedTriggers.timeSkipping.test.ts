import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DAY_MS } from '../engine/triggers/cadence';
import { journeyId } from '../engine/interpreter/entry';
import { timerWorkflowId } from '../engine/triggers/timerCommands';
import type { OrderPlaced } from '../schemas/events/schema';
import { Offer } from '../schemas/offers/schema';
import { loadPlaybooks } from '../schemas/playbook/load';
import type { Playbook } from '../schemas/playbook/schema';
import { upsertOffers } from '../store/offers';
import { simulate } from '../simulator/simulate';
import { upsertProfile } from '../store/profiles';
import type { ComputedTriggerResult } from '../workflows/computedTrigger';
import type { JourneyResult } from '../workflows/journey';
import { orderPlaced, uniqueId } from './support/events';
import { recordHistory } from './support/histories';
import { startTimeSkippingHarness, TEST_HOLDOUT, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * Computed triggers on the real servers: the Java time-skipping Temporal server, a real worker
 * whose publishEvent activity publishes through the test's client, FerretDB and SMTP. Orders are
 * published with past dates against the server's clock; the timers' and runs' times are the
 * server's, which skips ahead over the days in between.
 */

const shipped = loadPlaybooks(`${__dirname}/../playbooks`);
function playbook(id: string, holdout = 0): Playbook {
  const found = shipped.find((p) => p.id === id);
  if (!found) throw new Error(`the ${id} playbook is missing`);
  return { ...found, holdout };
}

const iso = (at: number) => new Date(at).toISOString();

describe('computed triggers: replenishment and win-back, on the real servers', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('computed-triggers');
  });
  after(async () => {
    await h?.close();
  });

  const email = (customerId: string) => `${customerId}@example.test`;
  const mailTo = (customerId: string) =>
    h.servers.smtp.messages.filter((m) => m.to.includes(email(customerId)));
  const timer = (timerId: string) =>
    h.env.client.workflow.getHandle(timerWorkflowId(timerId)).result() as Promise<ComputedTriggerResult>;
  const run = (workflowId: string) =>
    h.env.client.workflow.getHandle(workflowId).result() as Promise<JourneyResult>;

  /** Until the first message reached the customer: a timer's result comes before its run has sent. */
  async function firstMail(customerId: string): Promise<void> {
    for (let waited = 0; mailTo(customerId).length === 0; waited += 50) {
      if (waited > 15_000) throw new Error(`no mail reached ${customerId}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function customer(prefix: string): Promise<string> {
    const id = uniqueId(prefix);
    await upsertProfile(h.servers.collections.profiles, id, { email: email(id) }, new Date());
    return id;
  }

  /** A client routing to `playbooks` whose clock is the server's, and the server's time now. */
  async function clientAt(playbooks: Playbook[]) {
    const now = await h.serverClock();
    return { client: h.clientWith(playbooks, undefined, undefined, now), t: now().getTime() };
  }

  function order(customerId: string, at: number, sku: string, category = 'coffee'): OrderPlaced {
    return {
      ...orderPlaced(customerId, {
        items: [{ sku, name: 'House beans', category, price: 12, quantity: 1 }],
        total: 12,
      }),
      occurredAt: iso(at),
    };
  }

  /** Orders with a fresh SKU each: a cadence for the lapse, no product bought twice. */
  const plainOrder = (customerId: string, at: number) =>
    order(customerId, at, uniqueId('SKU-TEE'), 'apparel');

  describe('replenishment', () => {
    it("reminds before the run-out estimated from the customer's own cadence, then once more on it", async () => {
      const pb = playbook('replenishment');
      const { client, t } = await clientAt([pb]);
      const id = await customer('own');
      const sku = uniqueId('SKU-BEANS');
      // Every 20 days: the reminders the older orders implied are long past and never armed.
      const orders = [t - 40 * DAY_MS, t - 20 * DAY_MS, t].map((at) => order(id, at, sku));
      for (const o of orders) await client.publishEvent(o);

      const fired = await timer(`replenishment:${id}:${sku}`);
      // Run-out at t + 20d; the reminder 15% of the interval (3 days) before it.
      assert.equal(fired.dueAt, iso(t + 17 * DAY_MS));
      assert.ok(Date.parse(fired.firedAt) >= Date.parse(fired.dueAt));
      assert.ok(Date.parse(fired.firedAt) < t + 20 * DAY_MS, 'the reminder lands before the run-out');

      const { decisions, outcome } = await run(journeyId(pb.id, id, sku));
      assert.deepEqual(outcome, { status: 'completed' });
      const sends = decisions.filter((d) => d.action === 'send');
      assert.deepEqual(
        sends.map((d) => d.step),
        ['reminder', 'last-call'],
      );
      assert.ok(Date.parse(sends[0]!.at) < t + 20 * DAY_MS);
      assert.ok(Date.parse(sends[1]!.at) >= t + 20 * DAY_MS, 'the last call comes on the run-out day');
      const [reminder] = mailTo(id);
      assert.match(reminder?.subject ?? '', /House beans runs out around/);
      const runOut = new Date(t + 20 * DAY_MS);
      assert.match(reminder?.text ?? '', new RegExp(`runs out around ${runOut.getUTCDate()} `));
      const event = await h.servers.collections.events.findOne({ eventId: fired.eventId });
      assert.ok(event?.payload.type === 'replenishment.due');
      assert.equal(event.payload.data.basis, 'customer');
      // The simulator, fed the same orders, publishes the same event at the same time.
      const offline = simulate(orders, { playbooks: [pb], holdout: TEST_HOLDOUT });
      assert.deepEqual(
        offline.computed.find((e) => e.eventId === fired.eventId),
        event.payload,
      );
    });

    it("times a first purchase by the product's other buyers' median interval", async () => {
      const pb = playbook('replenishment');
      const { client, t } = await clientAt([pb]);
      const sku = uniqueId('SKU-FILTER');
      // Three buyers who reorder every 10, 12 and 14 days: the product's median is 12.
      for (const days of [10, 12, 14]) {
        const buyer = await customer('buyer');
        for (const at of [t - days * DAY_MS, t]) await client.publishEvent(order(buyer, at, sku));
      }
      const id = await customer('first');
      await client.publishEvent(order(id, t, sku));

      const fired = await timer(`replenishment:${id}:${sku}`);
      assert.equal(fired.dueAt, iso(t + 10 * DAY_MS), 'run-out at 12 days, reminded 2 days before');
      const event = await h.servers.collections.events.findOne({ eventId: fired.eventId });
      assert.ok(event?.payload.type === 'replenishment.due');
      assert.equal(event.payload.data.basis, 'product');
      assert.equal(event.payload.data.intervalDays, 12);
      const { decisions } = await run(journeyId(pb.id, id, sku));
      assert.equal(decisions.find((d) => d.step === 'reminder')?.action, 'send');
    });

    it('moves the reminder when the product is bought again before it: no early reminder', async () => {
      const pb = playbook('replenishment');
      let { client, t } = await clientAt([pb]);
      const start = t;
      const id = await customer('again');
      const sku = uniqueId('SKU-BEANS');
      for (const at of [t - 10 * DAY_MS, t]) await client.publishEvent(order(id, at, sku));
      // Armed for t + 8d (run-out t + 10d). Five days on, they buy again.
      await h.env.sleep(5 * DAY_MS);
      ({ client, t } = await clientAt([pb]));
      await client.publishEvent(order(id, t, sku));

      const fired = await timer(`replenishment:${id}:${sku}`);
      await recordHistory(
        'trigger-rearmed',
        h.env.client.workflow.getHandle(timerWorkflowId(`replenishment:${id}:${sku}`)),
      );
      // Intervals 10 and ~5 days: a median of ~7.5, so the run-out moves to about t + 7.5d.
      assert.ok(Date.parse(fired.dueAt) > start + 8 * DAY_MS, `due ${fired.dueAt}`);
      assert.ok(Date.parse(fired.firedAt) > start + 8 * DAY_MS, 'nothing fired at the old time');
      const reminders = await h.servers.collections.events
        .find({ type: 'replenishment.due', customerId: id })
        .toArray();
      assert.deepEqual(
        reminders.map((e) => e.eventId),
        [fired.eventId],
      );
      const { decisions } = await run(journeyId(pb.id, id, sku));
      const sent = decisions.find((d) => d.step === 'reminder' && d.action === 'send');
      assert.ok(sent !== undefined && Date.parse(sent.at) >= Date.parse(fired.dueAt));
    });

    it('ends at once when that product is ordered, not when something else is', async () => {
      const pb = playbook('replenishment');
      const { client, t } = await clientAt([pb]);
      const id = await customer('goal');
      const sku = uniqueId('SKU-BEANS');
      for (const at of [t - 10 * DAY_MS, t]) await client.publishEvent(order(id, at, sku));
      await timer(`replenishment:${id}:${sku}`);
      await firstMail(id); // the run is in its 3-day wait after the reminder
      const { client: later } = await clientAt([pb]);
      await later.publishEvent(plainOrder(id, (await h.serverClock())().getTime()));
      const reorder = order(id, (await h.serverClock())().getTime(), sku);
      await later.publishEvent(reorder);
      const { outcome, decisions } = await run(journeyId(pb.id, id, sku));
      assert.deepEqual(outcome, { status: 'exited', reason: 'goal:order.placed', eventId: reorder.eventId });
      assert.deepEqual(
        decisions.filter((d) => d.action === 'send').map((d) => d.step),
        ['reminder'],
      );
      assert.equal(mailTo(id).length, 1);
    });

    it('sends nothing to the holdout arm', async () => {
      const pb = playbook('replenishment', 1);
      const { client, t } = await clientAt([pb]);
      const id = await customer('held');
      const sku = uniqueId('SKU-BEANS');
      for (const at of [t - 10 * DAY_MS, t]) await client.publishEvent(order(id, at, sku));
      await timer(`replenishment:${id}:${sku}`);
      const { decisions } = await run(journeyId(pb.id, id, sku));
      assert.equal(
        decisions.some((d) => d.action === 'send'),
        false,
      );
      assert.ok(decisions.some((d) => d.action === 'holdout'));
      assert.equal(mailTo(id).length, 0);
    });
  });

  describe('win-back', () => {
    before(async () => {
      await upsertOffers(h.servers.collections.offers, [
        Offer.parse({
          kind: 'freeShipping',
          offerId: 'winback-shipping',
          title: 'Free shipping on your next order',
          longTermValue: 20,
        }),
      ]);
    });

    it("detects a lapse after the customer's own cadence, with its floor", async () => {
      const pb = playbook('win-back');
      const { client, t } = await clientAt([pb]);
      const weekly = await customer('weekly');
      const monthly = await customer('monthly');
      for (const days of [14, 7, 0]) await client.publishEvent(plainOrder(weekly, t - days * DAY_MS));
      const monthlyOrders = [60, 30, 0].map((days) => plainOrder(monthly, t - days * DAY_MS));
      for (const o of monthlyOrders) await client.publishEvent(o);

      // Weekly: 2.5 × 7 = 17.5 days is under the 45-day floor.
      const weeklyLapse = await timer(`lapse:${weekly}`);
      assert.equal(weeklyLapse.dueAt, iso(t + 45 * DAY_MS));
      // Monthly: 2.5 × 30 = 75 days.
      const monthlyLapse = await timer(`lapse:${monthly}`);
      assert.equal(monthlyLapse.dueAt, iso(t + 75 * DAY_MS));
      const event = await h.servers.collections.events.findOne({ eventId: monthlyLapse.eventId });
      assert.ok(event?.payload.type === 'customer.lapsed');
      assert.deepEqual(event.payload.data, {
        lastOrderAt: iso(t),
        cadenceDays: 30,
        lapseDays: 75,
        basis: 'customer',
      });
      const offline = simulate(monthlyOrders, { playbooks: [pb], holdout: TEST_HOLDOUT });
      assert.deepEqual(offline.computed, [event.payload]);

      // The value message at the lapse, the offer a week later.
      const { decisions } = await run(journeyId(pb.id, monthly));
      const sends = decisions.filter((d) => d.action === 'send');
      assert.deepEqual(
        sends.map((d) => [d.step, d.offerId]),
        [
          ['value', undefined],
          ['offer', 'winback-shipping'],
        ],
      );
      assert.ok(Date.parse(sends[0]!.at) >= t + 75 * DAY_MS);
      assert.ok(Date.parse(sends[1]!.at) >= Date.parse(sends[0]!.at) + 7 * DAY_MS);
      const [value, offer] = mailTo(monthly);
      assert.match(value?.text ?? '', /12,400 customers rated us 4\.8 out of 5/);
      assert.match(offer?.text ?? '', /Free shipping on your next order/);
    });

    it('ends at once when the customer orders again', async () => {
      const pb = playbook('win-back');
      const { client, t } = await clientAt([pb]);
      const id = await customer('back');
      await client.publishEvent(plainOrder(id, t));
      await timer(`lapse:${id}`);
      await firstMail(id); // the run is in its week's wait after the value message
      const { client: later } = await clientAt([pb]);
      const comeback = plainOrder(id, (await h.serverClock())().getTime());
      await later.publishEvent(comeback);
      const { outcome, decisions } = await run(journeyId(pb.id, id));
      assert.deepEqual(outcome, { status: 'exited', reason: 'goal:order.placed', eventId: comeback.eventId });
      assert.deepEqual(
        decisions.filter((d) => d.action === 'send').map((d) => d.step),
        ['value'],
      );
    });

    it('sends nothing to the holdout arm', async () => {
      const pb = playbook('win-back', 1);
      const { client, t } = await clientAt([pb]);
      const id = await customer('held');
      await client.publishEvent(plainOrder(id, t));
      await timer(`lapse:${id}`);
      const { decisions } = await run(journeyId(pb.id, id));
      assert.equal(
        decisions.some((d) => d.action === 'send'),
        false,
      );
      assert.ok(decisions.some((d) => d.action === 'holdout'));
      assert.equal(mailTo(id).length, 0);
    });
  });
});
