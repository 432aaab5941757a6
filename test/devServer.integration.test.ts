import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectJourneyClient, type ConnectedJourneyClient } from '../router/connect';
import { loadConfig } from '../schemas/env';
import { writeShortWindowPolicy } from '../tools/devstack/shortWindowPolicy';
import { IngestServer } from '../router/http/httpServer';
import { startStack, type Stack } from '../tools/devstack/stack';
import { journeyId } from '../engine/interpreter/entry';
import { withWaits } from '../tools/devstack/fastPlaybooks';
import type { JourneyResult } from '../workflows/journey';
import { customerInArm } from '../tools/devstack/sampleCustomers';
import { loadPlaybooks } from '../schemas/playbook/load';
import { upsertProfile } from '../store/profiles';
import { cartUpdated, orderPlaced, uniqueId } from './support/events';
import { tempDir } from './support/servers';
import { startWorkerProcess, type WorkerProcess } from '../tools/devstack/workerProcess';

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
      // Real time here: a 5-minute arbitration window would outlast every wait in these tests. The
      // dev server's clock is the machine's, which a test cannot move, and none of these tests is
      // about quiet hours: with the shipped SMS quiet hours (21:00–08:00) an SMS test would pass or
      // fail by the hour it ran at. Quiet hours are proven where the test owns the clock
      // (contactPolicy.timeSkipping: "an SMS due at 23:00 local is deferred to 08:00 local").
      POLICY_FILE: writeShortWindowPolicy(dir.path, '1s', { quietHours: [] }),
    });
    worker = await startWorkerProcess(env);
    // The shipped cart playbook with a 2 s wait, and a copy that waits three days.
    const config = loadConfig(env);
    const cart = loadPlaybooks(config.playbooksDir).find((p) => p.id === 'cart-abandonment')!;
    connected = await connectJourneyClient(config, {
      playbooks: [withWaits(cart, '2s'), withWaits(cart, '3d', 'cart-slow')],
    });
  });

  after(async () => {
    await connected?.close();
    await worker?.stop();
    await stack?.stop();
    dir.remove();
  });

  /**
   * A new customer in the treatment arm of a playbook (both hold out 10%) and outside the global
   * control, under the scheme the client bootstraps on this fresh database: epoch 1 from the config.
   */
  const treated = (prefix: string, playbookId = 'cart-abandonment') => {
    const scheme = { epoch: 1, ...loadConfig(env).holdout };
    return customerInArm(uniqueId(prefix), 'treatment', scheme, playbookId, 0.1);
  };

  const result = (customerId: string, playbookId = 'cart-abandonment') =>
    connected.temporal.workflow
      .getHandle(journeyId(playbookId, customerId))
      .result() as Promise<JourneyResult>;

  it('publishes through the client and delivers the reminder to the SMTP server', async () => {
    const id = treated('it-ada');
    const email = `${id}@example.test`;
    await upsertProfile(connected.collections.profiles, id, { email, firstName: 'Ada' }, new Date());
    const event = cartUpdated(id);
    await connected.journeys.publishEvent(event);

    const mail = await stack.smtp.waitFor((m) => m.to.includes(email), 30_000);
    assert.equal(mail.subject, 'Ada, your cart is waiting');
    assert.match(mail.text, /Your cart is waiting for you:\n- 2 × Organic cotton tee/);
    assert.equal(mail.idempotencyKey, `cart-abandonment:${id}:${event.eventId}:reminder`);
    assert.equal((await result(id)).outcome.status, 'completed');
  });

  it('a goal ends a run in the middle of a three-day wait at once, not at the timer', async () => {
    const id = treated('it-goal', 'cart-slow');
    await connected.journeys.publishEvent(cartUpdated(id));
    const run = connected.temporal.workflow.getHandle(journeyId('cart-slow', id));
    const started = Date.now();
    await connected.journeys.publishEvent(orderPlaced(id));
    const { outcome } = (await run.result()) as JourneyResult;
    const elapsed = Date.now() - started;
    assert.equal(outcome.status === 'exited' && outcome.reason, 'goal:order.placed');
    // Seconds against three days: the bound only has to tell "the goal woke it" from "the timer
    // did", with room for a loaded machine (speed itself is measured by `npm run bench`).
    assert.ok(elapsed < 10_000, `the run ended ${elapsed} ms after the goal was published`);
  });

  it('takes events over HTTP: 202 and a delivered reminder, 400 naming the field, 401 without a token', async () => {
    const server = await IngestServer.start({ publisher: connected.journeys, tokens: ['it-token'] });
    try {
      const id = treated('it-http');
      const email = `${id}@example.test`;
      await upsertProfile(connected.collections.profiles, id, { email, firstName: 'Hal' }, new Date());
      const post = (body: unknown, token?: string) =>
        fetch(`${server.url}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
          body: JSON.stringify(body),
        });

      const accepted = await post(cartUpdated(id), 'it-token');
      assert.equal(accepted.status, 202);
      const mail = await stack.smtp.waitFor((m) => m.to.includes(email), 30_000);
      assert.equal(mail.subject, 'Hal, your cart is waiting');

      const { customerId: _dropped, ...invalid } = cartUpdated(id);
      const rejected = await post(invalid, 'it-token');
      assert.equal(rejected.status, 400);
      assert.match(JSON.stringify(await rejected.json()), /customerId/);

      assert.equal((await post(cartUpdated(id))).status, 401);
      assert.equal((await post(cartUpdated(id), 'wrong')).status, 401);
    } finally {
      await server.stop();
    }
  });

  it('exits on order.placed and sends nothing', async () => {
    const id = treated('it-bob');
    const email = `${id}@example.test`;
    await upsertProfile(connected.collections.profiles, id, { email }, new Date());
    await connected.journeys.publishEvent(cartUpdated(id));
    await connected.journeys.publishEvent(orderPlaced(id));
    assert.equal((await result(id)).outcome.status, 'exited');
    await new Promise((r) => setTimeout(r, 2_500)); // longer than the wait: a late send would show
    assert.equal(stack.smtp.messages.filter((m) => m.to.includes(email)).length, 0);
  });

  it('sends SMS through the real twilio SDK to the Twilio-API endpoint', async () => {
    const id = treated('it-dan');
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    await upsertProfile(connected.collections.profiles, id, { phone }, new Date());
    await connected.journeys.publishEvent(cartUpdated(id));
    assert.equal((await result(id)).outcome.status, 'completed');
    const sms = stack.twilio.messages.filter((m) => m.to === phone);
    assert.equal(sms.length, 1);
    assert.equal(sms[0]!.from, '+15005550006');
  });

  it('makes runs findable by their search attributes, as Ops would in the Web UI', async () => {
    const id = treated('it-find');
    await connected.journeys.publishEvent(cartUpdated(id));
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

  it('a worker killed after Twilio accepted an SMS, before the activity completed, does not send it again', async () => {
    // The SIGTERM test above stopped the first worker.
    if (worker.child.exitCode !== null || worker.child.signalCode !== null)
      worker = await startWorkerProcess(env);
    const id = treated('it-crash');
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    await upsertProfile(connected.collections.profiles, id, { phone, firstName: 'Cy' }, new Date());
    // Twilio takes the message, then the answer never comes back before the worker dies.
    stack.twilio.injectFaults({ kind: 'accept-then-hang', ms: 120_000 });
    await connected.journeys.publishEvent(cartUpdated(id));
    const deadline = Date.now() + 30_000;
    while (!stack.twilio.messages.some((m) => m.to === phone)) {
      assert.ok(Date.now() < deadline, 'Twilio never received the SMS');
      await new Promise((r) => setTimeout(r, 50));
    }
    await worker.kill();
    worker = await startWorkerProcess(env);

    // The activity's attempt times out on the server (30 s) and is retried on the new worker,
    // which finds the send in doubt and asks Twilio before calling it again.
    const { outcome, decisions } = await result(id);
    assert.equal(outcome.status, 'completed');
    assert.deepEqual(
      decisions.filter((d) => d.step === 'reminder' && d.action === 'send').map((d) => d.channel),
      ['sms'],
    );
    assert.equal(stack.twilio.messages.filter((m) => m.to === phone).length, 1, 'sent exactly once');
    const record = await connected.collections.deliveries.findOne({ customerId: id, channel: 'sms' });
    assert.equal(record?.status, 'sent');
    assert.equal(record?.reconciled, 'found-at-provider');
    assert.equal(record?.providerMessageId, stack.twilio.messages.find((m) => m.to === phone)?.sid);
  });
});
