import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { journeyId } from '../engine/interpreter/entry';
import type { Playbook } from '../playbooks/schema';
import { loadPolicy } from '../policy/load';
import type { ContactPolicy } from '../policy/schema';
import { currentLedger } from '../store/contactLedger';
import { upsertProfile } from '../store/profiles';
import type { JourneyResult } from '../workflows/journey';
import { cartUpdated, uniqueId } from './support/events';
import { cartPlaybook, startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/** The contact policy applied to real sends, on the time-skipping server with real MongoDB and sinks. */
describe('contact policy on live journeys', () => {
  let h: TimeSkippingHarness;
  const shipped = loadPolicy();
  before(async () => {
    h = await startTimeSkippingHarness('policy');
  });
  after(async () => {
    await h?.close();
  });

  /** A second playbook on the same trigger, so one customer gets two sends in the same hour. */
  const twin = (onCap: 'skip' | 'defer'): Playbook => {
    const cart = cartPlaybook();
    return {
      ...cart,
      id: `cart-twin-${onCap}`,
      steps: cart.steps.map((step) => (step.type === 'send' ? { ...step, onCap } : step)),
    };
  };
  const result = (playbookId: string, customerId: string) =>
    h.env.client.workflow.getHandle(journeyId(playbookId, customerId)).result() as Promise<JourneyResult>;

  it('a 1/day email cap lets one of two playbooks send and suppresses the other, naming the cap', async () => {
    const id = uniqueId('capped');
    const email = `${id}@example.test`;
    await upsertProfile(h.servers.collections.profiles, id, { email, timezone: 'UTC' }, new Date());
    await h.clientWith([cartPlaybook(), twin('skip')], shipped).publishEvent(cartUpdated(id));

    const runs = [await result('cart-abandonment', id), await result('cart-twin-skip', id)];
    const decisions = runs
      .flatMap((r) => r.decisions)
      .filter((d) => d.action === 'send' || d.action === 'suppress');
    assert.deepEqual(decisions.map((d) => d.action).sort(), ['send', 'suppress']);
    assert.equal(decisions.find((d) => d.action === 'suppress')?.reason, 'cap:email ≤ 1 per day');
    assert.equal(h.servers.smtp.messages.filter((m) => m.to.includes(email)).length, 1);
    const suppressed = await h.servers.collections.deliveries.findOne({
      customerId: id,
      status: 'suppressed',
    });
    assert.equal(suppressed?.reason, 'cap:email ≤ 1 per day');
    const ledger = await currentLedger(h.servers.collections.ledger, id);
    assert.equal(ledger?.entries.length, 1, 'only the message that went out holds a slot');
  });

  it('a step that defers on caps sends after the customer’s local midnight, under the same key', async () => {
    const id = uniqueId('deferred');
    const email = `${id}@example.test`;
    await upsertProfile(h.servers.collections.profiles, id, { email, timezone: 'Asia/Tokyo' }, new Date());
    await h.clientWith([cartPlaybook(), twin('defer')], shipped).publishEvent(cartUpdated(id));

    const later = await result('cart-twin-defer', id);
    const first = await result('cart-abandonment', id);
    const deferred = [...first.decisions, ...later.decisions].find((d) => d.action === 'defer');
    assert.ok(deferred, 'one of the sends was deferred');
    assert.match(deferred.reason ?? '', /^cap:email ≤ 1 per day until \d{4}-\d\d-\d\dT15:00:00\.000Z$/); // Tokyo midnight
    const mails = h.servers.smtp.messages.filter((m) => m.to.includes(email));
    assert.equal(mails.length, 2);
    assert.equal(new Set(mails.map((m) => m.idempotencyKey)).size, 2);
    assert.ok(
      mails.every((m) => !m.idempotencyKey?.includes('#')),
      'a deferral is the same send, not a new visit',
    );
  });

  it('an SMS due in quiet hours is deferred to their end in the customer’s timezone', async () => {
    // Quiet hours from 30 minutes to 3 hours from now (UTC), so the reminder due in an hour falls inside.
    const now = await h.env.currentTimeMs(); // the test server's clock, which earlier tests skipped ahead
    const clock = (t: number) => new Date(t).toISOString().slice(11, 16);
    const end = now + 3 * 3_600_000;
    const policy: ContactPolicy = {
      ...shipped,
      quietHours: [{ channel: 'sms', from: clock(now + 30 * 60_000), to: clock(end) }],
    };
    const id = uniqueId('night');
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    await upsertProfile(h.servers.collections.profiles, id, { phone, timezone: 'UTC' }, new Date());
    await h.clientWith(cartPlaybook(), policy).publishEvent(cartUpdated(id));

    const { decisions } = await result('cart-abandonment', id);
    assert.deepEqual(
      decisions.filter((d) => d.step === 'reminder').map((d) => d.action),
      ['defer', 'send'],
    );
    assert.match(decisions.find((d) => d.action === 'defer')?.reason ?? '', /^quiet-hours until /);
    const sendAt = Date.parse(decisions.find((d) => d.action === 'send')!.at);
    assert.ok(
      sendAt >= Math.floor(end / 60_000) * 60_000,
      `sent at ${new Date(sendAt).toISOString()}, inside quiet hours`,
    );
    assert.equal(h.servers.twilio.messages.filter((m) => m.to === phone).length, 1);
  });
});
