import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { JourneyOutcome } from '../engine/cartJourney';
import { journeyWorkflowId } from '../engine/ids';
import { InvalidEventError } from '../events/parse';
import { upsertProfile } from '../store/profiles';
import { eventSignal, stateQuery } from '../workflows/messages';
import { cartUpdated, orderPlaced, uniqueId } from './support/events';
import { recordHistory } from './support/histories';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

const HOUR = 3_600_000;

describe('cart abandonment on the time-skipping test server', () => {
  let h: TimeSkippingHarness;

  before(async () => {
    h = await startTimeSkippingHarness('cart');
  });
  after(async () => {
    await h?.close();
  });

  async function customer(fields: { email?: string; phone?: string } = {}): Promise<string> {
    const id = uniqueId('cust');
    await upsertProfile(h.servers.collections.profiles, id, { firstName: 'Ada', ...fields }, new Date());
    return id;
  }
  const workflowId = (customerId: string) => journeyWorkflowId('cart-abandonment', customerId);
  const handle = (customerId: string) => h.env.client.workflow.getHandle(workflowId(customerId));
  const result = (customerId: string) => handle(customerId).result() as Promise<JourneyOutcome>;
  const mailTo = (address: string) => h.servers.smtp.messages.filter((m) => m.to.includes(address));

  it('sends the reminder email, listing the cart, after the one-hour wait', async () => {
    const email = `${uniqueId('ada')}@example.test`;
    const id = await customer({ email });
    const event = cartUpdated(id);
    const published = await h.clientWith().publish(event);
    assert.deepEqual(published, {
      eventId: event.eventId,
      status: 'accepted',
      deliveredTo: [workflowId(id)],
    });

    const outcome = await result(id);
    assert.equal(outcome.kind, 'delivered');

    const [mail, ...others] = mailTo(email);
    assert.ok(mail, 'the SMTP server received the reminder');
    assert.equal(others.length, 0);
    assert.equal(mail.subject, 'You left 3 items in your cart');
    assert.match(mail.text, /Hi Ada,/);
    assert.match(mail.text, /2 × Organic cotton tee/);
    assert.match(mail.html, /Canvas cap &lt;limited&gt;/);
    assert.equal(mail.idempotencyKey, `cart-abandonment:${id}:${event.eventId}:reminder`);

    const description = await h.env.client.workflow.getHandle(workflowId(id)).describe();
    const waited = description.closeTime!.getTime() - description.startTime.getTime();
    assert.ok(waited >= HOUR, `the journey closed after ${waited} ms of workflow time, before the wait`);

    await recordHistory('cart-delivered-email', handle(id));
    const record = await h.servers.collections.deliveries.findOne({ idempotencyKey: mail.idempotencyKey });
    assert.equal(record?.status, 'sent');
    assert.equal(record?.channel, 'email');
    assert.equal(record?.attempts, 1);
  });

  it('exits at once and sends nothing when the order arrives during the wait', async () => {
    const email = `${uniqueId('bob')}@example.test`;
    const id = await customer({ email });
    await h.clientWith().publish(cartUpdated(id));
    await h.env.sleep('20 minutes');
    const order = orderPlaced(id);
    const routed = await h.clientWith().publish(order);
    assert.deepEqual(routed.deliveredTo, [workflowId(id)]);

    assert.deepEqual(await result(id), { kind: 'exited', reason: 'order.placed', eventId: order.eventId });
    await recordHistory('cart-exited-by-order', handle(id));
    await h.env.sleep('2 hours');
    assert.equal(mailTo(email).length, 0);
    assert.equal(await h.servers.collections.deliveries.countDocuments({ customerId: id }), 0);
  });

  it('restarts the wait when the cart changes, and reminds about the latest cart', async () => {
    const email = `${uniqueId('fay')}@example.test`;
    const id = await customer({ email });
    const first = cartUpdated(id);
    await h.clientWith().publish(first);
    await h.env.sleep('50 minutes');
    const boots = { sku: 'SKU-BOOT-3', name: 'Waxed leather boots', quantity: 1, unitPrice: 149 };
    await h.clientWith().publish(cartUpdated(id, { items: [boots] }));

    assert.equal((await result(id)).kind, 'delivered');
    const description = await handle(id).describe();
    const waited = description.closeTime!.getTime() - description.startTime.getTime();
    assert.ok(waited >= 110 * 60_000, `reminded after ${waited} ms, not an hour after the last update`);
    const [mail] = mailTo(email);
    assert.equal(mail?.subject, 'You left 1 item in your cart');
    assert.match(mail?.text ?? '', /Waxed leather boots/);
    assert.equal(mail?.idempotencyKey, `cart-abandonment:${id}:${first.eventId}:reminder`);
    await recordHistory('cart-wait-restarted', handle(id));
  });

  it('exits when the cart is emptied', async () => {
    const email = `${uniqueId('gus')}@example.test`;
    const id = await customer({ email });
    await h.clientWith().publish(cartUpdated(id));
    const emptied = cartUpdated(id, { items: [] });
    await h.clientWith().publish(emptied);
    assert.deepEqual(await result(id), { kind: 'exited', reason: 'cart.emptied', eventId: emptied.eventId });
    assert.equal(mailTo(email).length, 0);
    await recordHistory('cart-exited-emptied', handle(id));
  });

  it('accepts an order with no journey running, before or after one, and starts nothing', async () => {
    const id = await customer({ email: `${uniqueId('hal')}@example.test` });
    assert.deepEqual((await h.clientWith().publish(orderPlaced(id))).deliveredTo, []);
    await assert.rejects(handle(id).describe(), WorkflowNotFoundError);

    await h.clientWith().publish(cartUpdated(id));
    assert.equal((await result(id)).kind, 'delivered');
    const late = await h.clientWith().publish(orderPlaced(id));
    assert.deepEqual(late, { eventId: late.eventId, status: 'accepted', deliveredTo: [] });
    const inbox = await h.servers.collections.events.findOne({ eventId: late.eventId });
    assert.equal(inbox?.status, 'routed');
    assert.equal(inbox?.type, 'order.placed');
  });

  it('sends nothing to a holdout customer but records what would have been sent', async () => {
    const email = `${uniqueId('carol')}@example.test`;
    const id = await customer({ email });
    const event = cartUpdated(id);
    await h.clientWith({ holdoutPercent: 100 }).publish(event);

    const outcome = await result(id);
    assert.deepEqual(outcome, {
      kind: 'suppressed',
      reason: 'holdout',
      idempotencyKey: `cart-abandonment:${id}:${event.eventId}:reminder`,
    });
    assert.equal(mailTo(email).length, 0);
    await recordHistory('cart-holdout-suppressed', handle(id));
    const record = await h.servers.collections.deliveries.findOne({ customerId: id });
    assert.equal(record?.status, 'suppressed');
    assert.equal(record?.reason, 'holdout');
    assert.equal(record?.arm, 'control');
    assert.equal(record?.channel, 'email');
    assert.equal(record?.to, email);
    assert.equal(record?.subject, 'You left 3 items in your cart');
  });

  it('drops a duplicate cart.updated: no second journey, no second email', async () => {
    const email = `${uniqueId('dan')}@example.test`;
    const id = await customer({ email });
    const event = cartUpdated(id);
    const client = h.clientWith();

    assert.equal((await client.publish(event)).status, 'accepted');
    const firstRun = (await h.env.client.workflow.getHandle(workflowId(id)).describe()).runId;
    assert.equal((await client.publish(event)).status, 'duplicate');
    await result(id);

    // After the run has finished, the same event must not open a new run either.
    assert.equal((await client.publish(event)).status, 'duplicate');
    const latest = await h.env.client.workflow.getHandle(workflowId(id)).describe();
    assert.equal(latest.runId, firstRun);
    assert.equal(latest.status.name, 'COMPLETED');
    assert.equal(mailTo(email).length, 1);
  });

  it('drops a repeated event inside the workflow when it reaches Temporal twice', async () => {
    const email = `${uniqueId('eve')}@example.test`;
    const id = await customer({ email });
    const event = cartUpdated(id);
    await h.clientWith().publish(event);
    const run = handle(id);
    await run.signal(eventSignal, event); // as if a publisher died after signalling, then retried
    const state = await run.query(stateQuery);
    assert.deepEqual(state.seenEventIds, [event.eventId]);
    assert.equal((await result(id)).kind, 'delivered');
    assert.equal(mailTo(email).length, 1);
    await recordHistory('cart-duplicate-signal', run);
  });

  it('falls back to SMS through the Twilio API when the customer has no email address', async () => {
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    const id = await customer({ phone });
    await h.clientWith().publish(cartUpdated(id));
    assert.deepEqual(await result(id), {
      kind: 'delivered',
      channel: 'sms',
      idempotencyKey: (await h.servers.collections.deliveries.findOne({ customerId: id }))?.idempotencyKey,
    });
    await recordHistory('cart-delivered-sms', handle(id));
    const sms = h.servers.twilio.messages.filter((m) => m.to === phone);
    assert.equal(sms.length, 1);
    assert.match(sms[0]!.body, /^Ada, your cart with Organic cotton tee and 1 more is waiting/);
    const record = await h.servers.collections.deliveries.findOne({ customerId: id });
    assert.equal(record?.providerMessageId, sms[0]!.sid);
  });

  it('rejects an invalid event before anything reaches Temporal or MongoDB', async () => {
    const id = uniqueId('nobody');
    const { customerId: _missing, ...noCustomer } = cartUpdated(id);
    await assert.rejects(
      h.clientWith().publish(noCustomer as never),
      (error: unknown) => error instanceof InvalidEventError && error.issues[0]?.path === 'customerId',
    );
    const wrongType = { ...cartUpdated(id), items: 'three' };
    await assert.rejects(
      h.clientWith().publish(wrongType as never),
      (error: unknown) =>
        error instanceof InvalidEventError && /items: Invalid input: expected array/.test(error.message),
    );
    assert.equal(await h.servers.collections.events.countDocuments({ eventId: noCustomer.eventId }), 0);
    assert.equal(await h.servers.collections.events.countDocuments({ eventId: wrongType.eventId }), 0);
    await assert.rejects(h.env.client.workflow.getHandle(workflowId(id)).describe(), WorkflowNotFoundError);
  });
});
