import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { journeyId } from '../engine/interpreter/entry';
import { upsertProfile } from '../store/profiles';
import type { JourneyResult } from '../workflows/journey';
import { cartUpdated, uniqueId } from './support/events';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * Provider failures through Temporal's own retry policy, on the time-skipping server with real
 * MongoDB, SMTP and the Twilio-API endpoint: what is retried, what is not, and what a hard bounce
 * changes for the customer's next message.
 */
describe('provider failures on live journeys', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('faults');
  });
  after(async () => {
    await h?.close();
  });

  const result = (customerId: string) =>
    h.env.client.workflow
      .getHandle(journeyId('cart-abandonment', customerId))
      .result() as Promise<JourneyResult>;
  const phoneFor = (salt: number) => `+1555${String(Date.now() + salt).slice(-7)}`;
  const delivery = (customerId: string) =>
    h.servers.collections.deliveries.findOne({ customerId, step: 'reminder' }, { sort: { createdAt: -1 } });

  it('a Twilio 429 is retried with backoff and the SMS is delivered once', async () => {
    const id = uniqueId('throttled');
    const phone = phoneFor(1);
    await upsertProfile(h.servers.collections.profiles, id, { phone }, new Date());
    h.servers.twilio.injectFaults({ kind: 'status', status: 429 }, { kind: 'status', status: 429 });
    await h.clientWith().publishEvent(cartUpdated(id));

    const { decisions } = await result(id);
    assert.deepEqual(
      decisions.filter((d) => d.step === 'reminder').map((d) => [d.action, d.channel]),
      [['send', 'sms']],
    );
    assert.equal(h.servers.twilio.messages.filter((m) => m.to === phone).length, 1);
    const record = await delivery(id);
    assert.equal(record?.status, 'sent');
    assert.equal(record?.attempts, 3, 'two refused calls, then the one that went');
  });

  it('a Twilio 400 "invalid number" is not retried: one call, failed, the journey goes on', async () => {
    const id = uniqueId('invalid');
    await upsertProfile(h.servers.collections.profiles, id, { phone: '+1' }, new Date());
    await h.clientWith().publishEvent(cartUpdated(id));

    const { outcome, decisions } = await result(id);
    assert.equal(outcome.status, 'completed');
    const reminder = decisions.filter((d) => d.step === 'reminder');
    assert.deepEqual(
      reminder.map((d) => d.action),
      ['send', 'suppress'],
    );
    assert.match(reminder[1]?.reason ?? '', /Twilio 21211/);
    const record = await delivery(id);
    assert.equal(record?.status, 'failed');
    assert.equal(record?.attempts, 1, 'the provider was called once');
    assert.equal(record?.bounce, 'hard');
  });

  it('an SMTP 5xx is recorded as a hard bounce, and the next message takes the fallback channel', async () => {
    const id = uniqueId('bounced');
    const email = `${id}@example.test`;
    const phone = phoneFor(2);
    await upsertProfile(h.servers.collections.profiles, id, { email, phone }, new Date());
    h.servers.smtp.injectFaults({ kind: 'reply', code: 550, message: '5.1.1 mailbox does not exist' });
    await h.clientWith().publishEvent(cartUpdated(id));
    await result(id);

    const bounced = await delivery(id);
    assert.equal(bounced?.status, 'failed');
    assert.equal(bounced?.bounce, 'hard');
    assert.equal(bounced?.attempts, 1);
    const profile = await h.servers.collections.profiles.findOne({ _id: id });
    assert.equal(profile?.bounced?.email?.address, email);

    // The next cart of the same customer: email is off for that address, SMS goes instead.
    await h.clientWith().publishEvent(cartUpdated(id));
    const next = await result(id);
    assert.deepEqual(
      next.decisions.filter((d) => d.step === 'reminder').map((d) => [d.action, d.channel]),
      [['send', 'sms']],
    );
    assert.equal(h.servers.twilio.messages.filter((m) => m.to === phone).length, 1);
    assert.equal(h.servers.smtp.messages.filter((m) => m.to.includes(email)).length, 0);
  });
});
