import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { journeyId } from '../engine/interpreter/entry';
import { upsertProfile } from '../store/profiles';
import type { JourneyResult } from '../workflows/journey';
import { customerEvent, orderPlaced, uniqueId } from './support/events';
import { keyedWithCustomerGoal } from './support/keyedPlaybook';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

describe('keyed runs on the time-skipping test server', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('keyed-goals');
  });
  after(async () => {
    await h?.close();
  });

  it('a new order, with its own orderId, ends every keyed run on its goal and nothing is sent', async () => {
    const playbook = keyedWithCustomerGoal();
    const client = h.clientWith(playbook);
    const customer = uniqueId('kim');
    const email = `${customer}@example.test`;
    await upsertProfile(h.servers.collections.profiles, customer, { email }, new Date());
    const [first, second] = [uniqueId('o'), uniqueId('o')];
    for (const orderId of [first, second])
      await client.publishEvent(
        customerEvent('order.delivered', customer, { orderId, categories: ['apparel'] }),
      );
    const runs = [first, second].map((orderId) => journeyId(playbook.id, customer, orderId));

    await h.env.sleep('1 hour');
    const order = orderPlaced(customer, { orderId: uniqueId('o') });
    const published = await client.publishEvent(order);
    assert.deepEqual([...published.deliveredTo].sort(), [...runs].sort());
    for (const id of runs) {
      const { outcome } = (await h.env.client.workflow.getHandle(id).result()) as JourneyResult;
      assert.deepEqual(outcome, { status: 'exited', reason: 'goal:order.placed', eventId: order.eventId });
    }
    await h.env.sleep('3 days');
    assert.equal(h.servers.smtp.messages.filter((m) => m.to.includes(email)).length, 0);
  });
});
