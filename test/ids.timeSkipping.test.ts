import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { versionLabel } from '../router/playbookSource';
import { startJourneyRun } from '../router/startRun';
import { journeyId } from '../engine/interpreter/entry';
import { recordEntry, recordEntryHead } from '../store/entries';
import { upsertProfile } from '../store/profiles';
import type { JourneyResult } from '../workflows/journey';
import { runCli } from './support/cli';
import {
  orderFact,
  timersAfterOrder,
  timerWorkflowId,
  type TimerCommand,
} from '../engine/triggers/timerCommands';
import type { computedTriggerWorkflow } from '../workflows/computedTrigger';
import { CustomerId } from '../workflows/searchAttributes';
import { rearmSignal } from '../workflows/triggerMessages';
import { customerEvent, orderPlaced, uniqueId } from './support/events';
import { shippedPlaybook } from './support/shippedPlaybooks';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';
import { playbookCollections } from '../store/playbookVersions';

/*
 * Issue 14, item 1: run IDs compose the customer and the entry key, and an unescaped `:` made
 * customer `ops-col` with order `1:x` and customer `ops-col:1` with order `x` share one run, so one
 * customer's order reached the other's email. On the real servers, with the shipped care-tips
 * playbook (one run per delivered order).
 */

const delivered = (customerId: string, orderId: string) =>
  customerEvent('order.delivered', customerId, { orderId, categories: ['knitwear'] });

/** A `:` is not for an email's local part: `ops-col:1` receives mail as `ops-col.1@…`. */
const emailOf = (customerId: string) => `${customerId.replace(/:/g, '.')}@example.test`;

describe('run IDs of customers and keys holding a ":" on the time-skipping server', () => {
  let h: TimeSkippingHarness;
  const careTips = shippedPlaybook('care-tips', 0);
  before(async () => {
    h = await startTimeSkippingHarness('ids');
  });
  after(async () => {
    await h?.close();
  });

  const result = (run: string) => h.env.client.workflow.getHandle(run).result() as Promise<JourneyResult>;
  const mailTo = (customerId: string) =>
    h.servers.smtp.messages.filter((m) => m.to.includes(emailOf(customerId)));
  async function customer(id: string): Promise<void> {
    await upsertProfile(
      h.servers.collections.profiles,
      id,
      { email: emailOf(id), firstName: 'Ada' },
      new Date(),
    );
  }

  it('gives customer ops-col with order 1:x and customer ops-col:1 with order x a run and an email each', async () => {
    const client = h.clientWith(careTips);
    const alice = uniqueId('ops-col');
    const bob = `${alice}:1`;
    await customer(alice);
    await customer(bob);
    const aliceRun = (await client.publishEvent(delivered(alice, '1:x'))).deliveredTo;
    const bobRun = (await client.publishEvent(delivered(bob, 'x'))).deliveredTo;
    assert.equal(aliceRun.length, 1);
    assert.equal(bobRun.length, 1);
    assert.notEqual(aliceRun[0], bobRun[0], `both answered ${String(aliceRun[0])}`);
    // Readable in the Temporal UI: only the `:` inside a part is escaped.
    assert.deepEqual(
      [aliceRun[0], bobRun[0]],
      [`journey:care-tips:${alice}:1%3Ax`, `journey:care-tips:${alice}%3A1:x`],
    );

    for (const run of [aliceRun[0]!, bobRun[0]!])
      assert.equal((await result(run)).outcome.status, 'completed');
    const [aliceMail, ...moreForAlice] = mailTo(alice);
    const [bobMail, ...moreForBob] = mailTo(bob);
    assert.deepEqual([moreForAlice.length, moreForBob.length], [0, 0]);
    assert.match(aliceMail?.text ?? '', /Your order 1:x has arrived/);
    assert.match(bobMail?.text ?? '', /Your order x has arrived/);
    assert.doesNotMatch(bobMail?.text ?? '', /1:x/);
    // The message's idempotency key keeps the two apart as well.
    const bobDelivery = await h.servers.collections.deliveries.findOne({ customerId: bob });
    assert.match(
      bobDelivery?.idempotencyKey ?? '',
      new RegExp(`^care-tips:${alice}%3A1:evt-order\\.delivered-[^:]+:care$`),
    );

    // The CLI user names the customer as it is; explain shows that customer's own run. Explain
    // reads a customer's runs per published playbook (playbook_states); this client routes to its
    // playbook in memory, so the playbook is recorded as published here.
    await playbookCollections(h.servers.db).states.updateOne(
      { _id: 'care-tips' },
      { $set: { status: 'active', updatedAt: new Date(), log: [] } },
      { upsert: true },
    );
    const explain = await runCli(['explain', '--customer', bob, '--json'], {
      uri: h.servers.mongodbUri,
      db: h.servers.db.databaseName,
    });
    assert.equal(explain.code, 0, explain.stderr);
    const items = JSON.parse(explain.stdout) as { kind: string; journeyId?: string }[];
    assert.ok(
      items.some((item) => item.kind === 'entry'),
      explain.stdout,
    );
    const runs = new Set(items.map((item) => item.journeyId));
    assert.deepEqual([...runs], [bobRun[0]]);
  });

  it('still reaches a run started under its old unescaped ID, which its entry recorded', async () => {
    const client = h.clientWith(careTips);
    const carol = uniqueId('ops-old');
    await customer(carol);
    // What the client did before IDs were escaped: the entry, its head and the run, all under
    // `journey:care-tips:<customer>:2:y`.
    const trigger = delivered(carol, '2:y');
    const legacy = `journey:care-tips:${carol}:2:y`;
    assert.notEqual(journeyId(careTips.id, carol, '2:y'), legacy);
    const entry = {
      journeyId: legacy,
      playbookId: careTips.id,
      playbookVersion: careTips.version,
      playbookLabel: versionLabel(careTips),
      customerId: carol,
      keyValue: '2:y',
      entryEventId: trigger.eventId,
      arm: 'treatment' as const,
      holdoutEpoch: 1,
      enteredAt: new Date(),
    };
    await recordEntry(h.servers.collections.entries, entry);
    await recordEntryHead(h.servers.collections.entryHeads, entry);
    await startJourneyRun(h.env.client, h.taskQueue, {
      workflowId: legacy,
      playbook: careTips,
      customerId: carol,
      arm: 'treatment',
      trigger,
    });

    // The same delivery again is the live run's repeat, not a second run under the new ID.
    assert.deepEqual(
      (await client.publishEvent({ ...trigger, eventId: uniqueId('evt-again') })).deliveredTo,
      [legacy],
    );
    const returned = customerEvent('order.returned', carol, { orderId: '2:y' });
    assert.deepEqual((await client.publishEvent(returned)).deliveredTo, [legacy]);
    const { outcome } = await result(legacy);
    assert.deepEqual(outcome, { status: 'exited', reason: 'goal:order.returned', eventId: returned.eventId });
    assert.equal(mailTo(carol).length, 0);
  });

  it('ends the customer’s timer armed under its old unescaped ID when an order re-arms it', async () => {
    // Earlier tests moved the server's clock ahead: the order and the client go by it.
    const clock = await h.serverClock();
    const client = h.clientWith(careTips, undefined, undefined, clock);
    const dave = `${uniqueId('ops-old')}:1`;
    await customer(dave);
    const order = { ...orderPlaced(dave), occurredAt: clock().toISOString() };
    const [lapse] = timersAfterOrder(dave, orderFact(order), {
      orders: [orderFact(order)],
      populationDays: () => [],
    }).filter((command) => command.event.type === 'customer.lapsed');
    assert.ok(lapse);
    // What the client did before IDs were escaped: the lapse timer under `trigger:lapse:<customer>`.
    const legacy = timerWorkflowId(`lapse:${dave}`);
    assert.notEqual(legacy, timerWorkflowId(lapse.timerId));
    await h.env.client.workflow.signalWithStart<typeof computedTriggerWorkflow, [TimerCommand]>(
      'computedTriggerWorkflow',
      {
        workflowId: legacy,
        taskQueue: h.taskQueue,
        args: [{}],
        signal: rearmSignal,
        signalArgs: [{ ...lapse, timerId: `lapse:${dave}` }],
        typedSearchAttributes: [{ key: CustomerId, value: dave }],
      },
    );

    await client.publishEvent(order);
    const status = async (id: string) => (await h.env.client.workflow.getHandle(id).describe()).status.name;
    assert.equal(await status(legacy), 'TERMINATED');
    assert.equal(await status(timerWorkflowId(lapse.timerId)), 'RUNNING');
  });
});
