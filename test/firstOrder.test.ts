import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMinima, profileMinima, type FirstOrder } from '../engine/profile/profileProjection';
import type { Profile } from '../engine/profile/profile';
import { simulate } from '../simulator/simulate';
import { customerEvent, orderPlaced } from './support/events';
import { shippedPlaybook } from './support/shippedPlaybooks';
import { TEST_HOLDOUT } from './support/timeSkipping';

const order = (orderId: string, occurredAt: string) => ({
  ...orderPlaced('ann', { orderId }),
  occurredAt,
});
const minima = (orderId: string, at: string): FirstOrder => profileMinima(order(orderId, at))!;

describe('the first order in the profile projection', () => {
  const empty: Profile = { customerId: 'ann' };

  it('keeps the oldest order, in whatever order orders arrive, and ignores a repeat', () => {
    const later = minima('o-2', '2026-05-02T10:00:00.000Z');
    const earlier = minima('o-1', '2026-05-01T10:00:00.000Z');
    const inOrder = applyMinima(applyMinima(empty, earlier), later);
    const reversed = applyMinima(applyMinima(applyMinima(empty, later), earlier), later);
    for (const profile of [inOrder, reversed]) {
      assert.equal(profile.firstOrderId, 'o-1');
      assert.equal(profile.firstOrderAt, '2026-05-01T10:00:00.000Z');
    }
  });

  it('settles two orders at the same instant by orderId, so every arrival order agrees', () => {
    const a = minima('o-a', '2026-05-01T10:00:00.000Z');
    const b = minima('o-b', '2026-05-01T10:00:00.000Z');
    assert.equal(applyMinima(applyMinima(empty, b), a).firstOrderId, 'o-a');
    assert.equal(applyMinima(applyMinima(empty, a), b).firstOrderId, 'o-a');
  });

  it('normalises the instant to UTC, so offsets compare as instants', () => {
    assert.equal(minima('o-1', '2026-05-01T12:00:00+02:00').firstOrderAt, '2026-05-01T10:00:00.000Z');
    assert.equal(profileMinima(customerEvent('order.delivered', 'ann', { orderId: 'o-1' })), undefined);
  });

  it('the simulator enters the second-purchase playbook on the first order’s delivery only', () => {
    const events = [
      {
        ...customerEvent('customer.upserted', 'ann', { email: 'ann@example.test' }),
        occurredAt: '2026-04-01T10:00:00.000Z',
      },
      order('o-1', '2026-05-01T10:00:00.000Z'),
      order('o-2', '2026-05-03T10:00:00.000Z'),
      {
        ...customerEvent('order.delivered', 'ann', { orderId: 'o-2' }),
        occurredAt: '2026-05-05T10:00:00.000Z',
      },
      {
        ...customerEvent('order.delivered', 'ann', { orderId: 'o-1' }),
        occurredAt: '2026-05-06T10:00:00.000Z',
      },
    ];
    const { decisions } = simulate(events, {
      playbooks: [shippedPlaybook('second-purchase', 0)],
      holdout: TEST_HOLDOUT,
    });
    const entries = decisions.filter((d) => d.action === 'enter');
    assert.deepEqual(
      entries.map((d) => d.at),
      ['2026-05-06T10:00:00.000Z'],
    );
  });
});
