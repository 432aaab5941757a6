import { Playbook, type PlaybookInput } from '../../schemas/playbook/schema';
import type { EventType } from '../../schemas/events/schema';

/*
 * The chaos playbooks: each sends one message at once, so every acknowledged event has a known
 * number of actions and the checker can tell a lost one. No holdout: a control arm would look like
 * a loss. Each run is keyed by the event's own ID field, so every event starts a run of its own.
 */

function sendAtOnce(options: {
  id: string;
  event: EventType;
  channel: 'email' | 'sms';
  priority: number;
  key: string;
}): Playbook {
  const input: PlaybookInput = {
    id: options.id,
    name: `Chaos ${options.id}`,
    version: 1,
    priority: options.priority,
    trigger: { event: options.event },
    entry: { reentry: 'afterExit', key: options.key, onRepeat: 'ignore' },
    maxDuration: '1h',
    holdout: 0,
    success: { metric: { event: 'order.placed' }, window: '1d' },
    templates: {
      note: {
        subject: `Chaos ${options.id}`,
        text: `A message from ${options.id} about {{trigger.eventId}}.`,
        sms: `${options.id}: {{trigger.eventId}}`,
      },
    },
    steps: [{ id: 'note', type: 'send', channel: options.channel, template: 'note' }],
  };
  return Playbook.parse(input);
}

/** Scenarios 1–6: one cart.updated gives one email and one SMS. */
export const CART_PLAYBOOKS: readonly Playbook[] = [
  sendAtOnce({
    id: 'chaos-cart-email',
    event: 'cart.updated',
    channel: 'email',
    priority: 80,
    key: 'event.data.cartId',
  }),
  sendAtOnce({
    id: 'chaos-cart-sms',
    event: 'cart.updated',
    channel: 'sms',
    priority: 70,
    key: 'event.data.cartId',
  }),
];

/** Scenario 7: more candidates than slots, on three event types, at different priorities. */
export const CONTENTION_PLAYBOOKS: readonly Playbook[] = [
  ...CART_PLAYBOOKS,
  sendAtOnce({
    id: 'chaos-browse-sms',
    event: 'product.viewed',
    channel: 'sms',
    priority: 40,
    key: 'event.data.sku',
  }),
  sendAtOnce({
    id: 'chaos-checkout-email',
    event: 'checkout.started',
    channel: 'email',
    priority: 90,
    key: 'event.data.checkoutId',
  }),
];
