import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { liveRoute } from '../engine/interpreter/liveRoute';
import type { JourneyEvent } from '../schemas/events/schema';
import { simulate } from '../simulator/simulate';
import { customerEvent, orderPlaced } from './support/events';
import { keyedWithCustomerGoal } from './support/keyedPlaybook';
import { cartPlaybook, TEST_HOLDOUT } from './support/timeSkipping';

const HOUR = 3_600_000;
const at = (t0: number, hours: number) => new Date(t0 + hours * HOUR).toISOString();

describe('keyed runs hear goals about the customer', () => {
  const playbook = keyedWithCustomerGoal();
  const delivered = (customerId: string, orderId: string) =>
    customerEvent('order.delivered', customerId, { orderId, categories: ['apparel'] });

  it('routes a goal without matchTriggerOn to every live run, and one tied to the key to its run', () => {
    assert.deepEqual(liveRoute(playbook, orderPlaced('ann', { orderId: 'o-2' })), { kind: 'every' });
    const returned = customerEvent('order.returned', 'ann', { orderId: 'o-1' });
    assert.deepEqual(liveRoute(playbook, returned), { kind: 'one', keyValue: 'o-1' });
    // A repeat of the trigger belongs to the run of its key.
    assert.deepEqual(liveRoute(playbook, delivered('ann', 'o-1')), { kind: 'one', keyValue: 'o-1' });
    // Nothing listens for it: no live run hears it.
    assert.equal(liveRoute(playbook, customerEvent('store.visited', 'ann', { storeId: 's-1' })), undefined);
    // An unkeyed playbook has one run per customer.
    assert.deepEqual(liveRoute(cartPlaybook(), orderPlaced('ann')), { kind: 'one', keyValue: undefined });
  });

  it('in the simulator, a new order (another orderId) ends both keyed runs on their goal', () => {
    const t0 = Date.parse('2026-03-02T10:00:00Z');
    const events: JourneyEvent[] = [
      { ...customerEvent('customer.upserted', 'ann', { email: 'ann@example.test' }), occurredAt: at(t0, 0) },
      { ...delivered('ann', 'o-1'), occurredAt: at(t0, 1) },
      { ...delivered('ann', 'o-2'), occurredAt: at(t0, 2) },
      { ...orderPlaced('ann', { orderId: 'o-3' }), occurredAt: at(t0, 5) },
    ];
    const { decisions } = simulate(events, { playbooks: [playbook], holdout: TEST_HOLDOUT });
    const lines = decisions.map((d) => `${d.action} ${d.reason ?? '-'}`);
    assert.deepEqual(lines, [
      'enter trigger:order.delivered',
      'enter trigger:order.delivered',
      'exit goal:order.placed',
      'exit goal:order.placed',
    ]);
  });
});
