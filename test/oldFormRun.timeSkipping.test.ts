import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PlaybookV1 } from '../schemas/playbook/schemaV1';
import { upsertProfile } from '../store/profiles';
import type { JourneyInput, JourneyResult } from '../workflows/journey';
import { eventSignal } from '../workflows/messages';
import { cartUpdated, orderPlaced, uniqueId } from './support/events';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/**
 * A run that entered before playbook schemaVersion 2 holds its definition in the old form in its
 * Temporal input (holdoutPercent, `data.…` key paths, onQuietHours: drop), and must go on as it
 * would have: the workflow upgrades what it reads, the interpreter only knows the new form.
 */
describe('a run started with a schemaVersion 1 definition', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('old-form');
  });
  after(async () => {
    await h?.close();
  });

  const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

  function oldForm(): PlaybookV1 {
    return {
      schemaVersion: 1,
      id: 'old-form-cart',
      name: 'Old-form cart',
      version: 1,
      priority: 100,
      trigger: { event: 'cart.updated' },
      entry: { reentry: 'afterExit', onRepeat: 'ignore', key: 'data.cartId' },
      maxDuration: '7d',
      holdoutPercent: 0,
      success: { metric: { event: 'order.placed', matchTriggerOn: 'data.cartId' }, window: '7d' },
      templates: { nudge: { subject: 'Your cart', text: 'Still there.' } },
      steps: [
        {
          id: 'nudge',
          type: 'send',
          channel: 'email',
          template: 'nudge',
          purpose: 'marketing',
          onCap: 'skip',
          onQuietHours: 'drop',
        },
        {
          id: 'await-order',
          type: 'waitForEvent',
          event: 'order.placed',
          matchTriggerOn: 'data.cartId',
          timeout: '2d',
          onEvent: 'bought',
          onTimeout: 'gave-up',
        },
        { id: 'bought', type: 'exit', reason: 'bought' },
        { id: 'gave-up', type: 'exit', reason: 'gave-up' },
      ],
    };
  }

  it('drops a send in quiet hours, and waits for the order of its own cart', async () => {
    const customerId = uniqueId('old-form');
    await upsertProfile(
      h.servers.collections.profiles,
      customerId,
      { email: `${customerId}@example.test`, timezone: 'UTC' },
      new Date(),
    );
    // Quiet hours around the test server's clock, whatever the hour: the send falls inside them.
    const now = await h.env.currentTimeMs();
    const trigger = cartUpdated(customerId, { cartId: 'cart-old-1' });
    const input: JourneyInput = {
      schemaVersion: 1,
      playbook: oldForm(),
      customerId,
      arm: 'treatment',
      trigger,
      policy: {
        caps: [],
        quietHours: [{ channel: 'email', from: hhmm(now - 3_600_000), to: hhmm(now + 3 * 3_600_000) }],
        timezone: 'UTC',
        weekStartsOn: 'mon',
        maxDeferralMs: 86_400_000,
      },
    };
    const handle = await h.env.client.workflow.signalWithStart('journeyWorkflow', {
      workflowId: `journey:old-form-cart:${customerId}`,
      taskQueue: h.taskQueue,
      args: [input],
      signal: eventSignal,
      signalArgs: [trigger],
    });
    // Another cart's order does not end the wait (matchTriggerOn data.cartId); this cart's does.
    await handle.signal(eventSignal, orderPlaced(customerId, { cartId: 'cart-old-2' }));
    await handle.signal(eventSignal, orderPlaced(customerId, { cartId: 'cart-old-1' }));
    const { outcome, decisions } = (await handle.result()) as JourneyResult;

    assert.deepEqual(outcome, { status: 'exited', reason: 'bought' });
    const nudge = decisions
      .filter((d) => d.step === 'nudge')
      .map((d) => [d.action, d.reason?.replace(/ until .*/, '') ?? '']);
    assert.deepEqual(nudge, [['suppress', 'quiet-hours']]);
    assert.equal(h.servers.smtp.messages.filter((m) => m.to.includes(customerId)).length, 0);
  });
});
