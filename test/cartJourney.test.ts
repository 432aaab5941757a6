import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyEvent,
  beginDelivery,
  planDelivery,
  reminderKey,
  startCartJourney,
  type CartJourneyState,
  type CartPlaybookSnapshot,
} from '../engine/cartJourney';
import { renderCartReminderEmail, renderCartReminderSms } from '../engine/render/cartReminder';
import { cartUpdated, orderPlaced } from './support/events';

const HOUR = 3_600_000;
const playbook: CartPlaybookSnapshot = {
  id: 'cart-abandonment',
  version: 1,
  waitMs: HOUR,
  holdoutPercent: 0,
  holdoutSalt: 'test',
  fallbackChannel: 'sms',
};
const start = (overrides: Partial<CartPlaybookSnapshot> = {}): CartJourneyState =>
  startCartJourney({ schemaVersion: 1, customerId: 'c-1', playbook: { ...playbook, ...overrides } });

describe('cart journey state machine', () => {
  it('waits the configured time after the last cart update, then delivers', () => {
    const first = cartUpdated('c-1');
    let state = applyEvent(start(), first, 0).state;
    assert.equal(state.phase, 'waiting');
    assert.equal(state.dueAt, HOUR);
    assert.equal(state.entryEventId, first.eventId);

    state = applyEvent(state, cartUpdated('c-1'), 30 * 60_000).state;
    assert.equal(state.dueAt, 90 * 60_000, 'a later cart update restarts the wait');
    assert.equal(state.entryEventId, first.eventId, 'the run keeps the event that entered it');
    assert.equal(beginDelivery(state, HOUR).phase, 'waiting');
    assert.equal(beginDelivery(state, 90 * 60_000).phase, 'delivering');
  });

  it('exits on an order, even mid-wait, and ignores later cart updates', () => {
    let state = applyEvent(start(), cartUpdated('c-1'), 0).state;
    const order = orderPlaced('c-1');
    state = applyEvent(state, order, 10).state;
    assert.equal(state.phase, 'done');
    assert.deepEqual(state.outcome, { kind: 'exited', reason: 'order.placed', eventId: order.eventId });
    state = applyEvent(state, cartUpdated('c-1'), 20).state;
    assert.equal(state.phase, 'done');
  });

  it('exits when the cart is emptied', () => {
    let state = applyEvent(start(), cartUpdated('c-1'), 0).state;
    state = applyEvent(state, cartUpdated('c-1', { items: [] }), 10).state;
    assert.equal(state.outcome?.kind, 'exited');
  });

  it('drops a repeated event ID without changing anything', () => {
    const event = cartUpdated('c-1');
    const once = applyEvent(start(), event, 0).state;
    const twice = applyEvent(once, event, 5_000);
    assert.equal(twice.duplicate, true);
    assert.equal(twice.state, once);
  });

  it('plans email first, SMS as fallback, and nothing without contact points', () => {
    const waiting = applyEvent(start(), cartUpdated('c-1'), 0).state;
    assert.deepEqual(planDelivery(waiting, { email: 'a@example.com', phone: '+15550001' }), {
      action: 'send',
      channel: 'email',
      to: 'a@example.com',
    });
    assert.deepEqual(planDelivery(waiting, { phone: '+15550001' }), {
      action: 'send',
      channel: 'sms',
      to: '+15550001',
    });
    assert.deepEqual(planDelivery(waiting, {}), { action: 'suppress', reason: 'no-contact' });
    const noFallback = applyEvent(start({ fallbackChannel: null }), cartUpdated('c-1'), 0).state;
    assert.deepEqual(planDelivery(noFallback, { phone: '+15550001' }), {
      action: 'suppress',
      reason: 'no-contact',
    });
  });

  it('suppresses control customers but records what would have been sent', () => {
    const control = applyEvent(start({ holdoutPercent: 100 }), cartUpdated('c-1'), 0).state;
    assert.equal(control.arm, 'control');
    assert.deepEqual(planDelivery(control, { email: 'a@example.com' }), {
      action: 'suppress',
      reason: 'holdout',
      channel: 'email',
      to: 'a@example.com',
    });
  });

  it('keys the reminder by playbook, customer, entry event and step', () => {
    const event = cartUpdated('c-1');
    const state = applyEvent(start(), event, 0).state;
    assert.equal(reminderKey(state), `cart-abandonment:c-1:${event.eventId}:reminder`);
  });
});

describe('cart reminder rendering', () => {
  it('lists the items and escapes HTML from event data', () => {
    const { cart } = applyEvent(start(), cartUpdated('c-1'), 0).state;
    assert.ok(cart);
    const email = renderCartReminderEmail({ firstName: 'Ada', cart });
    assert.equal(email.subject, 'You left 3 items in your cart');
    assert.match(email.text, /2 × Organic cotton tee \(SKU-TEE-01\): €39\.00/);
    assert.match(email.text, /Total: €63\.00/);
    assert.match(email.html, /Canvas cap &lt;limited&gt;/);
    assert.doesNotMatch(email.html, /<limited>/);
    assert.equal(
      renderCartReminderSms({ cart }),
      'Your cart with Organic cotton tee and 1 more is waiting. https://shop.example/cart/abc',
    );
  });
});
