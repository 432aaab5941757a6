import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { signalCurrentRun } from '../router/signalCurrentRun';
import { journeyId } from '../engine/interpreter/entry';
import { InvalidEventError } from '../schemas/events/parse';
import type { Playbook } from '../schemas/playbook/schema';
import { upsertProfile } from '../store/profiles';
import type { JourneyInput, JourneyResult } from '../workflows/journey';
import { eventSignal, exitUpdate, pauseUpdate, resumeUpdate, stateQuery } from '../workflows/messages';
import { CAP, cartUpdated, customerEvent, orderPlaced, uniqueId } from './support/events';
import { runCli } from './support/cli';
import { recordHistory } from './support/histories';
import { Step } from '../workflows/searchAttributes';
import { cartPlaybook, startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';
import { playbookCollections } from '../store/playbookVersions';

const HOUR = 3_600_000;

describe('journeys on the time-skipping test server', () => {
  let h: TimeSkippingHarness;

  before(async () => {
    h = await startTimeSkippingHarness('journey');
  });
  after(async () => {
    await h?.close();
  });

  async function customer(fields: { email?: string; phone?: string } = {}): Promise<string> {
    const id = uniqueId('cust');
    await upsertProfile(h.servers.collections.profiles, id, { firstName: 'Ada', ...fields }, new Date());
    return id;
  }
  const cartRun = (customerId: string) => journeyId('cart-abandonment', customerId);
  const handle = (customerId: string) => h.env.client.workflow.getHandle(cartRun(customerId));
  const result = (customerId: string) => handle(customerId).result() as Promise<JourneyResult>;
  const mailTo = (address: string) => h.servers.smtp.messages.filter((m) => m.to.includes(address));
  /**
   * The run's Step search attribute once it is `want` (it is published when the run hands control
   * back). Read by describe: the Java test server answers no visibility queries; the query Ops type,
   * `Step = "paused"`, is a filter on this value.
   */
  async function stepOf(customerId: string, want: string): Promise<string | undefined> {
    for (let i = 0; ; i++) {
      const step = (await handle(customerId).describe()).typedSearchAttributes.get(Step);
      if (step === want || i === 50) return step;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('sends the reminder email, listing the cart, after the one-hour wait', async () => {
    const email = `${uniqueId('ada')}@example.test`;
    const id = await customer({ email });
    const event = cartUpdated(id);
    const published = await h.clientWith().publishEvent(event);
    assert.deepEqual(published, { eventId: event.eventId, status: 'accepted', deliveredTo: [cartRun(id)] });

    const { outcome, decisions } = await result(id);
    assert.deepEqual(outcome, { status: 'completed' });
    assert.deepEqual(
      decisions.map((d) => [d.action, d.step, d.channel ?? null]),
      [
        ['enter', null, null],
        ['send', 'reminder', 'email'],
        ['exit', null, null],
      ],
    );

    const [mail, ...others] = mailTo(email);
    assert.ok(mail, 'the SMTP server received the reminder');
    assert.equal(others.length, 0);
    assert.equal(mail.subject, 'Ada, your cart is waiting');
    assert.match(mail.text, /^Hi Ada,/);
    assert.match(mail.text, /- 2 × Organic cotton tee \(SKU-TEE-01\): €19\.50 each/);
    assert.match(mail.html, /Canvas cap &lt;limited&gt;/);
    assert.equal(mail.idempotencyKey, `cart-abandonment:${id}:${event.eventId}:reminder`);

    const description = await handle(id).describe();
    const waited = description.closeTime!.getTime() - description.startTime.getTime();
    assert.ok(waited >= HOUR, `the journey closed after ${waited} ms of workflow time, before the wait`);
    await recordHistory('cart-delivered-email-patched', handle(id));
    // The same shape since store calls became local activities and search attributes are
    // published once per workflow task (BATCHED_TASKS).
    await recordHistory('cart-delivered-email-batched', handle(id));
    const record = await h.servers.collections.deliveries.findOne({ idempotencyKey: mail.idempotencyKey });
    assert.equal(record?.status, 'sent');
    assert.equal(record?.attempts, 1);
  });

  it('exits at once and sends nothing when the order arrives during the wait', async () => {
    const email = `${uniqueId('bob')}@example.test`;
    const id = await customer({ email });
    await h.clientWith().publishEvent(cartUpdated(id));
    await h.env.sleep('20 minutes');
    const order = orderPlaced(id);
    assert.deepEqual((await h.clientWith().publishEvent(order)).deliveredTo, [cartRun(id)]);

    assert.deepEqual((await result(id)).outcome, {
      status: 'exited',
      reason: 'goal:order.placed',
      eventId: order.eventId,
    });
    await recordHistory('cart-exited-by-order', handle(id));
    await h.env.sleep('2 hours');
    assert.equal(mailTo(email).length, 0);
    assert.equal(await h.servers.collections.deliveries.countDocuments({ customerId: id }), 0);
  });

  it('restarts the wait when the cart changes, and reminds about the latest cart', async () => {
    const email = `${uniqueId('fay')}@example.test`;
    const id = await customer({ email });
    const first = cartUpdated(id);
    await h.clientWith().publishEvent(first);
    await h.env.sleep('50 minutes');
    await h.clientWith().publishEvent(cartUpdated(id, { items: [CAP] }));

    assert.equal((await result(id)).outcome.status, 'completed');
    const description = await handle(id).describe();
    const waited = description.closeTime!.getTime() - description.startTime.getTime();
    assert.ok(waited >= 110 * 60_000, `reminded after ${waited} ms, not an hour after the last update`);
    const [mail] = mailTo(email);
    assert.match(mail?.text ?? '', /Canvas cap <limited>/);
    assert.doesNotMatch(mail?.text ?? '', /Organic cotton tee/);
    assert.equal(mail?.idempotencyKey, `cart-abandonment:${id}:${first.eventId}:reminder`);
    await recordHistory('cart-wait-restarted', handle(id));
  });

  it('exits when the cart is emptied', async () => {
    const email = `${uniqueId('gus')}@example.test`;
    const id = await customer({ email });
    await h.clientWith().publishEvent(cartUpdated(id));
    const emptied = cartUpdated(id, { items: [] });
    await h.clientWith().publishEvent(emptied);
    assert.deepEqual((await result(id)).outcome, {
      status: 'exited',
      reason: 'goal:cart.updated',
      eventId: emptied.eventId,
    });
    assert.equal(mailTo(email).length, 0);
    await recordHistory('cart-exited-emptied', handle(id));
  });

  it('accepts an order with no journey running, before or after one, and starts nothing', async () => {
    const id = await customer({ email: `${uniqueId('hal')}@example.test` });
    assert.deepEqual((await h.clientWith().publishEvent(orderPlaced(id))).deliveredTo, []);
    await assert.rejects(handle(id).describe(), WorkflowNotFoundError);
    await h.clientWith().publishEvent(cartUpdated(id));
    assert.equal((await result(id)).outcome.status, 'completed');
    const late = await h.clientWith().publishEvent(orderPlaced(id));
    assert.deepEqual(late, { eventId: late.eventId, status: 'accepted', deliveredTo: [] });
  });

  it('sends nothing to a holdout customer but records what would have been sent', async () => {
    const email = `${uniqueId('carol')}@example.test`;
    const id = await customer({ email });
    await h.clientWith(cartPlaybook({ holdout: 1 })).publishEvent(cartUpdated(id));
    const { decisions } = await result(id);
    assert.deepEqual(
      decisions.filter((d) => d.action === 'holdout').map((d) => [d.step, d.channel, d.reason]),
      [['reminder', 'email', 'holdout']],
    );
    assert.equal(mailTo(email).length, 0);
    await recordHistory('cart-holdout-suppressed', handle(id));
    const record = await h.servers.collections.deliveries.findOne({ customerId: id });
    assert.equal(record?.status, 'suppressed');
    assert.equal(record?.reason, 'holdout');
    assert.equal(record?.arm, 'control');
    assert.equal(record?.to, email);
    assert.equal(record?.subject, 'Ada, your cart is waiting');
  });

  it('drops a duplicate cart.updated: no second journey, no second email', async () => {
    const email = `${uniqueId('dan')}@example.test`;
    const id = await customer({ email });
    const event = cartUpdated(id);
    const client = h.clientWith();
    assert.equal((await client.publishEvent(event)).status, 'accepted');
    const firstRun = (await handle(id).describe()).runId;
    assert.equal((await client.publishEvent(event)).status, 'duplicate');
    await result(id);
    assert.equal((await client.publishEvent(event)).status, 'duplicate');
    const latest = await handle(id).describe();
    assert.equal(latest.runId, firstRun);
    assert.equal(mailTo(email).length, 1);
  });

  it('drops a repeated event inside the workflow when it reaches Temporal twice', async () => {
    const email = `${uniqueId('eve')}@example.test`;
    const id = await customer({ email });
    const event = cartUpdated(id);
    await h.clientWith().publishEvent(event);
    const run = handle(id);
    await run.signal(eventSignal, event); // as if a publisher died after signalling, then retried
    assert.deepEqual((await run.query(stateQuery)).seenEventIds, [event.eventId]);
    assert.equal((await result(id)).outcome.status, 'completed');
    assert.equal(mailTo(email).length, 1);
    await recordHistory('cart-duplicate-signal', run);
  });

  it('falls back to SMS through the Twilio API when the customer has no email address', async () => {
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    const id = await customer({ phone });
    await h.clientWith().publishEvent(cartUpdated(id));
    const { decisions } = await result(id);
    assert.deepEqual(decisions.find((d) => d.action === 'send')?.channel, 'sms');
    await recordHistory('cart-delivered-sms', handle(id));
    const sms = h.servers.twilio.messages.filter((m) => m.to === phone);
    assert.equal(sms.length, 1);
    assert.equal(sms[0]!.body, 'Ada, your cart is waiting. https://shop.example/cart/abc');
  });

  it('a paused run sends nothing until it is resumed', async () => {
    const email = `${uniqueId('ivy')}@example.test`;
    const id = await customer({ email });
    await h.clientWith().publishEvent(cartUpdated(id));
    const paused = await handle(id).executeUpdate(pauseUpdate, { args: [{ reason: 'checking copy' }] });
    assert.equal(paused.paused, true);
    await assert.rejects(
      handle(id).executeUpdate(pauseUpdate, { args: [{ reason: 'again' }] }),
      WorkflowUpdateFailedError,
    );

    await h.env.sleep('3 hours'); // the wait ran out while paused
    assert.equal(mailTo(email).length, 0);
    assert.equal((await handle(id).query(stateQuery)).paused, true);

    await handle(id).executeUpdate(resumeUpdate, { args: [{}] });
    assert.equal((await result(id)).outcome.status, 'completed');
    assert.equal(mailTo(email).length, 1);
    await recordHistory('cart-paused-resumed', handle(id));
  });

  it('records who paused and resumed a run and why, shows it in explain, and lists paused runs by Step', async () => {
    const email = `${uniqueId('ops')}@example.test`;
    const id = await customer({ email });
    await h.clientWith().publishEvent(cartUpdated(id));
    await handle(id).executeUpdate(pauseUpdate, {
      args: [{ reason: 'checking copy', by: 'mia@shop.example' }],
    });

    assert.equal(await stepOf(id, 'paused'), 'paused');
    await h.env.sleep('3 hours');
    await handle(id).executeUpdate(resumeUpdate, {
      args: [{ reason: 'copy fixed', by: 'mia@shop.example' }],
    });
    assert.equal((await result(id)).outcome.status, 'completed');
    assert.equal(await stepOf(id, 'done'), 'done');
    // The shape since OPERATOR_ACTIONS: pause and resume recorded, Step = 'paused' while paused.
    await recordHistory('cart-paused-resumed-recorded', handle(id));

    const decisions = await h.servers.collections.decisions.find({ journeyId: cartRun(id) }).toArray();
    const operator = decisions
      .filter((d) => d.action === 'pause' || d.action === 'resume')
      .map((d) => [d.action, d.step, d.reason, d.by]);
    assert.deepEqual(operator, [
      ['pause', 'wait', 'ops:checking copy', 'mia@shop.example'],
      ['resume', 'wait', 'ops:copy fixed', 'mia@shop.example'],
    ]);
    // Explain reads a customer's runs per published playbook; this client routes in memory.
    await playbookCollections(h.servers.db).states.updateOne(
      { _id: 'cart-abandonment' },
      { $set: { status: 'active', updatedAt: new Date(), log: [] } },
      { upsert: true },
    );
    const explained = await runCli(['explain', '--customer', id], {
      uri: h.servers.mongodbUri,
      db: h.servers.db.databaseName,
    });
    assert.equal(explained.code, 0, explained.stderr);
    assert.match(explained.stdout, /pause\s+wait\s+-\s+reason="ops:checking copy" by=mia@shop\.example/);
    assert.match(explained.stdout, /resume\s+wait\s+-\s+reason="ops:copy fixed" by=mia@shop\.example/);
  });

  it('rejects an operator action without its request, or with the wrong types, and says what to send', async () => {
    const id = await customer({ email: `${uniqueId('bad')}@example.test` });
    await h.clientWith().publishEvent(cartUpdated(id));
    const rejection = async (promise: Promise<unknown>): Promise<string> => {
      const error = await promise.then(
        () => assert.fail('the update was accepted'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof WorkflowUpdateFailedError, String(error));
      return String(error.cause?.message);
    };
    const untyped = handle(id) as unknown as {
      executeUpdate(name: string, options?: { args: unknown[] }): Promise<unknown>;
    };
    assert.match(
      await rejection(untyped.executeUpdate('exit')),
      /^exit: the request is missing; send \{ "reason"/,
    );
    assert.match(
      await rejection(untyped.executeUpdate('exit', { args: [{ reason: 42 }] })),
      /^exit: "reason" must be text, not a number/,
    );
    assert.match(
      await rejection(untyped.executeUpdate('pause', { args: [{ reason: 'x', by: ['me'] }] })),
      /^pause: "by" must be text, not a list/,
    );
    assert.match(
      await rejection(untyped.executeUpdate('pause', { args: ['stop'] })),
      /^pause: the request must be an object/,
    );
    assert.match(
      await rejection(untyped.executeUpdate('pause', { args: [{ reason: 'x', who: 'me' }] })),
      /^pause: unknown field "who"/,
    );
    assert.equal((await handle(id).query(stateQuery)).paused, false, 'nothing was applied');
    await handle(id).executeUpdate(exitUpdate, { args: [{ reason: 'test over' }] });
  });

  it('Ops can end a run with a reason; an exit without a reason is rejected', async () => {
    const email = `${uniqueId('jon')}@example.test`;
    const id = await customer({ email });
    await h.clientWith().publishEvent(cartUpdated(id));
    await assert.rejects(
      handle(id).executeUpdate(exitUpdate, { args: [{ reason: ' ' }] }),
      WorkflowUpdateFailedError,
    );
    const ended = await handle(id).executeUpdate(exitUpdate, { args: [{ reason: 'customer complaint' }] });
    assert.deepEqual(ended.outcome, { status: 'exited', reason: 'ops:customer complaint' });
    assert.deepEqual((await result(id)).outcome, { status: 'exited', reason: 'ops:customer complaint' });
    await h.env.sleep('2 hours');
    assert.equal(mailTo(email).length, 0);
  });

  it('tells a live run from an ended or unknown one when signalling the current run', async () => {
    const id = await customer({ email: `${uniqueId('lea')}@example.test` });
    await h.clientWith().publishEvent(cartUpdated(id));
    const live = await signalCurrentRun(h.env.client, cartRun(id), cartUpdated(id));
    assert.equal(live, true);
    await handle(id).executeUpdate(exitUpdate, { args: [{ reason: 'test over' }] });
    await result(id);
    assert.equal(await signalCurrentRun(h.env.client, cartRun(id), cartUpdated(id)), false);
    assert.equal(await signalCurrentRun(h.env.client, cartRun(uniqueId('nobody')), cartUpdated(id)), false);
  });

  it('continues as new under a long stream of events and loses none of them', async () => {
    // One email per viewed product, for as long as views keep coming: a long-lived run.
    const browse: Playbook = {
      ...cartPlaybook(),
      id: 'browse-echo',
      name: 'Browse echo',
      trigger: { event: 'product.viewed' },
      entry: { reentry: 'afterExit', onRepeat: 'ignore' },
      exit: { goals: [{ event: 'order.placed' }] },
      templates: { seen: { subject: 'You looked at {{trigger.data.sku}}', text: 'Seen.' } },
      steps: [
        {
          id: 'listen',
          type: 'waitForEvent',
          event: 'product.viewed',
          timeout: '1d',
          onEvent: 'mail',
          onTimeout: 'end',
        },
        {
          id: 'mail',
          type: 'send',
          channel: 'email',
          template: 'seen',
          purpose: 'marketing',
          onCap: 'skip',
          onQuietHours: 'defer',
          next: 'listen',
        },
        { id: 'end', type: 'exit', reason: 'quiet' },
      ],
    };
    const email = `${uniqueId('kim')}@example.test`;
    const id = await customer({ email });
    const first = customerEvent('product.viewed', id, { sku: 'SKU-1' });
    const input: JourneyInput = {
      schemaVersion: 1,
      playbook: browse,
      customerId: id,
      arm: 'treatment',
      trigger: first,
      continueAsNewAfter: 40,
    };
    const run = await h.env.client.workflow.start('journeyWorkflow', {
      workflowId: journeyId('browse-echo', id),
      taskQueue: h.taskQueue,
      args: [input],
    });
    const views = 30;
    for (let i = 0; i < views; i++) {
      const view = customerEvent('product.viewed', id, { sku: `SKU-${i}` });
      assert.ok(await signalCurrentRun(h.env.client, run.workflowId, view), `view ${i} reached a live run`);
    }
    // The goal ends the run at once, so it is sent only once every view has been handled.
    await h.servers.smtp.waitFor(() => mailTo(email).length >= views, 60_000);
    // Signalled the way the client does: a signal refused mid-hand-over is sent again
    // (the test server's continue-as-new is not atomic).
    assert.ok(await signalCurrentRun(h.env.client, run.workflowId, orderPlaced(id)));
    const { outcome } = (await h.env.client.workflow.getHandle(run.workflowId).result()) as JourneyResult;
    assert.equal(outcome.status, 'exited');

    const firstRunId = run.firstExecutionRunId;
    const lastRunId = (await h.env.client.workflow.getHandle(run.workflowId).describe()).runId;
    assert.notEqual(lastRunId, firstRunId, 'the run continued as new at least once');
    await recordHistory('browse-continued-as-new', h.env.client.workflow.getHandle(run.workflowId));
    // Every view after the first was awaited and mailed: none lost across the hand-overs.
    const mails = mailTo(email);
    assert.equal(mails.length, views);
    assert.equal(new Set(mails.map((m) => m.idempotencyKey)).size, views);
  });

  it('rejects an invalid event before anything reaches Temporal or MongoDB', async () => {
    const id = uniqueId('nobody');
    const { customerId: _missing, ...noCustomer } = cartUpdated(id);
    await assert.rejects(
      h.clientWith().publishEvent(noCustomer as never),
      (error: unknown) =>
        error instanceof InvalidEventError && error.issues.some((i) => i.path === 'customerId'),
    );
    const wrongType = { ...cartUpdated(id), data: { ...cartUpdated(id).data, items: 'three' } };
    await assert.rejects(
      h.clientWith().publishEvent(wrongType as never),
      (error: unknown) =>
        error instanceof InvalidEventError &&
        /data\.items: Invalid input: expected array/.test(error.message),
    );
    assert.equal(await h.servers.collections.events.countDocuments({ eventId: noCustomer.eventId }), 0);
    await assert.rejects(handle(id).describe(), WorkflowNotFoundError);
  });

  it('rejects a link that is not http(s), naming the field, before it can reach an email', async () => {
    const id = uniqueId('nobody');
    const event = cartUpdated(id);
    for (const [field, data] of [
      ['data.cartUrl', { ...event.data, cartUrl: 'javascript:alert(document.cookie)//' }],
      [
        'data.items[0].imageUrl',
        { ...event.data, items: [{ ...event.data.items[0]!, imageUrl: 'data:image/png,x' }] },
      ],
    ] as const) {
      await assert.rejects(
        h.clientWith().publishEvent({ ...event, data } as never),
        (error: unknown) =>
          error instanceof InvalidEventError &&
          error.issues.some(
            (i) =>
              i.path === field &&
              /^expected a web address starting with http:\/\/ or https:\/\//.test(i.message),
          ),
      );
    }
    assert.equal(await h.servers.collections.events.countDocuments({ eventId: event.eventId }), 0);
    await assert.rejects(handle(id).describe(), WorkflowNotFoundError);
  });
});
