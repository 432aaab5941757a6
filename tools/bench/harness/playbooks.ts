import type { CartUpdated, JourneyEventInput } from '../../../schemas/events/schema';
import type { Playbook } from '../../../schemas/playbook/schema';

export const BENCH_PLAYBOOK_ID = 'bench-cart';

/**
 * The bench journey: a cart.updated with items enters it and the first step sends an email at
 * once, so event-to-action is the engine's own path (entry, holdout assignment, the caps and
 * priority reservation, rendering, the send) with no timer in between. Then a 30-day wait and a
 * second send keep every run open and cached, which is what the memory measurement needs and
 * what a real abandonment or nurture journey looks like between its messages.
 * Before the send, an offer is decided over the bench catalog (tools/bench/harness/offers.ts), so the
 * path has everything the engine adds over a bare send: entry and holdout assignment, the offer
 * decision, the caps and priority reservation, rendering, the decision records.
 */
export const benchPlaybook: Playbook = {
  schemaVersion: 2,
  id: BENCH_PLAYBOOK_ID,
  name: 'Bench: cart follow-up',
  version: 1,
  priority: 50,
  trigger: { event: 'cart.updated', where: { field: 'event.data.items', op: 'notEmpty' } },
  entry: { reentry: 'afterExit', onRepeat: 'refresh' },
  maxDuration: '60d',
  holdout: 0,
  success: { metric: { event: 'order.placed' }, window: '7d' },
  templates: {
    now: {
      subject: 'Your cart, {{profile.firstName}}',
      text:
        'Hi {{profile.firstName}}, your cart holds {{#each trigger.data.items}}{{this.name}} {{/each}}.' +
        '{{#if offer.title}} For you: {{offer.title}}.{{/if}}',
    },
    later: { subject: 'Still thinking it over?', text: 'Your cart is still here.' },
  },
  steps: [
    { id: 'offer', type: 'decideOffer', onNoOffer: 'now' },
    {
      id: 'now',
      type: 'send',
      channel: 'email',
      template: 'now',
      purpose: 'marketing',
      onCap: 'skip',
      onQuietHours: 'defer',
    },
    { id: 'hold', type: 'wait', duration: '30d' },
    {
      id: 'later',
      type: 'send',
      channel: 'email',
      template: 'later',
      purpose: 'marketing',
      onCap: 'skip',
      onQuietHours: 'defer',
    },
  ],
};

/** The bench customer's address: the sink's recipient names the customer, so no lookup is needed. */
export function benchEmail(customerId: string): string {
  return `${customerId}@bench.test`;
}

export function customerFromEmail(address: string): string | undefined {
  return address.endsWith('@bench.test') ? address.slice(0, -'@bench.test'.length) : undefined;
}

/** The load's event for one fresh customer: a cart with items, which enters the bench journey. */
export function benchCartEvent(customerId: string, index: number): CartUpdated {
  return {
    type: 'cart.updated',
    eventId: `bench-${customerId}-cart`,
    customerId,
    occurredAt: new Date().toISOString(),
    data: {
      cartId: `cart-${customerId}`,
      currency: 'EUR',
      // A category and a basket the bench catalog has offers for, so the decision has work to do.
      items: [
        {
          sku: `SKU-${index % 97}`,
          name: 'Bench runner',
          category: 'running-shoes',
          quantity: 2,
          price: 120,
        },
      ],
    },
  };
}

export const BENCH_HOLD_PLAYBOOK_ID = 'bench-hold';

/**
 * For topping up open runs when the memory measurement needs more than the loads left: a
 * checkout.started enters it and the run goes straight into a 30-day wait (then one send), one
 * workflow task instead of the send path's chain, so 20,000 cached runs take minutes, not an hour.
 * Its runs wait in a timer as the bench journey's do after their first send.
 */
export const benchHoldPlaybook: Playbook = {
  ...benchPlaybook,
  id: BENCH_HOLD_PLAYBOOK_ID,
  name: 'Bench: checkout hold',
  trigger: { event: 'checkout.started' },
  steps: [
    { id: 'hold', type: 'wait', duration: '30d' },
    {
      id: 'later',
      type: 'send',
      channel: 'email',
      template: 'later',
      purpose: 'marketing',
      onCap: 'skip',
      onQuietHours: 'defer',
    },
  ],
};

export function benchCheckoutEvent(customerId: string): JourneyEventInput {
  return {
    type: 'checkout.started',
    eventId: `bench-${customerId}-checkout`,
    customerId,
    occurredAt: new Date().toISOString(),
    data: { checkoutId: `co-${customerId}`, currency: 'EUR', total: 19.5 },
  };
}
