import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectJourneyClient, type ConnectedJourneyClient } from '../client/connect';
import { loadConfig } from '../config/env';
import { startStack, type Stack } from '../devstack/stack';
import type { JourneyOutcome } from '../engine/cartJourney';
import { journeyWorkflowId } from '../engine/ids';
import { customerInArm } from '../devstack/sampleCustomers';
import { loadCartAbandonmentPlaybook } from '../playbooks/cartAbandonment';
import { upsertProfile } from '../store/profiles';
import { cartUpdated, orderPlaced, uniqueId } from './support/events';
import { tempDir } from './support/servers';
import { startWorkerProcess, type WorkerProcess } from '../devstack/workerProcess';

/*
 * The whole path on real servers: the Temporal CLI dev server, FerretDB (or MONGODB_URI), the SMTP
 * sink and the Twilio-API endpoint, with the worker in its own process, fed through the client.
 */
describe('cart abandonment on the Temporal CLI dev server', () => {
  const dir = tempDir('journeys-it');
  let stack: Stack;
  let worker: WorkerProcess;
  let connected: ConnectedJourneyClient;
  const env: Record<string, string> = {};

  before(async () => {
    const mongodbUri = process.env.MONGODB_URI || undefined;
    stack = await startStack({ dataDir: dir.path, ...(mongodbUri ? { mongodbUri } : {}) });
    Object.assign(env, stack.env, {
      MONGODB_DB: `it_${Date.now()}`,
      TEMPORAL_TASK_QUEUE: `journeys-it-${Date.now()}`,
      CART_ABANDONMENT_WAIT: '2s',
    });
    worker = await startWorkerProcess(env);
    connected = await connectJourneyClient(loadConfig(env));
  });

  after(async () => {
    await connected?.close();
    await worker?.stop();
    await stack?.stop();
    dir.remove();
  });

  /** A new customer in the treatment arm under the shipped holdout, so every send is real. */
  const treated = (prefix: string) => {
    const { holdoutSalt } = loadConfig(env);
    return customerInArm(
      uniqueId(prefix),
      'treatment',
      holdoutSalt,
      loadCartAbandonmentPlaybook().holdoutPercent,
    );
  };

  const result = (customerId: string) =>
    connected.temporal.workflow
      .getHandle(journeyWorkflowId('cart-abandonment', customerId))
      .result() as Promise<JourneyOutcome>;

  it('publishes through the client and delivers the reminder to the SMTP server', async () => {
    const id = treated('it-ada');
    const email = `${id}@example.test`;
    await upsertProfile(connected.collections.profiles, id, { email, firstName: 'Ada' }, new Date());
    const event = cartUpdated(id);
    await connected.journeys.publish(event);

    const mail = await stack.smtp.waitFor((m) => m.to.includes(email), 30_000);
    assert.equal(mail.subject, 'You left 3 items in your cart');
    assert.match(mail.text, /Your cart is waiting for you:\n- 2 × Organic cotton tee/);
    assert.equal(mail.idempotencyKey, `cart-abandonment:${id}:${event.eventId}:reminder`);
    assert.equal((await result(id)).kind, 'delivered');
  });

  it('exits on order.placed and sends nothing', async () => {
    const id = treated('it-bob');
    const email = `${id}@example.test`;
    await upsertProfile(connected.collections.profiles, id, { email }, new Date());
    await connected.journeys.publish(cartUpdated(id));
    await connected.journeys.publish(orderPlaced(id));
    assert.equal((await result(id)).kind, 'exited');
    await new Promise((r) => setTimeout(r, 2_500)); // longer than the wait: a late send would show
    assert.equal(stack.smtp.messages.filter((m) => m.to.includes(email)).length, 0);
  });

  it('sends SMS through the real twilio SDK to the Twilio-API endpoint', async () => {
    const id = treated('it-dan');
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    await upsertProfile(connected.collections.profiles, id, { phone }, new Date());
    await connected.journeys.publish(cartUpdated(id));
    assert.equal((await result(id)).kind, 'delivered');
    const sms = stack.twilio.messages.filter((m) => m.to === phone);
    assert.equal(sms.length, 1);
    assert.equal(sms[0]!.from, '+15005550006');
  });

  it('makes runs findable by their search attributes, as Ops would in the Web UI', async () => {
    const id = treated('it-find');
    await connected.journeys.publish(cartUpdated(id));
    await result(id);
    // Visibility is eventually consistent: poll briefly.
    let found: { customerId: unknown; step: unknown; arm: unknown } | undefined;
    for (let i = 0; i < 50 && !found; i++) {
      for await (const run of connected.temporal.workflow.list({
        query: `CustomerId = "${id}" AND PlaybookId = "cart-abandonment" AND Step = "done"`,
      })) {
        const attrs = run.searchAttributes;
        found = { customerId: attrs.CustomerId?.[0], step: attrs.Step?.[0], arm: attrs.Arm?.[0] };
      }
      if (!found) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(found, 'the run is listed under CustomerId, PlaybookId and Step');
    assert.equal(found.customerId, id);
    assert.ok(found.arm === 'treatment' || found.arm === 'control');
  });

  it('the worker shuts down gracefully on SIGTERM', async () => {
    const code = await worker.stop();
    assert.equal(code, 0, worker.output());
    assert.match(worker.output(), /worker: stopped cleanly/);
  });
});
