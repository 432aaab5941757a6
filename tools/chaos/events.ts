import type { JourneyEventInput } from '../../schemas/events/schema';
import type { ChaosCustomer } from './check';

/*
 * The events and customers a chaos scenario publishes. IDs carry the scenario's tag, so a run's
 * records are told apart from another's in the same store.
 */

export type ChaosEvent = JourneyEventInput & { customerId: string };

export function chaosCustomer(tag: string, index: number): ChaosCustomer {
  const customerId = `${tag}-c${index}`;
  return {
    customerId,
    email: `${customerId}@chaos.example`,
    phone: `+4670${String(index).padStart(7, '0')}`,
    timezone: 'UTC',
  };
}

export function cartUpdated(customerId: string, eventId: string): ChaosEvent {
  return {
    type: 'cart.updated',
    eventId,
    customerId,
    occurredAt: new Date().toISOString(),
    data: {
      cartId: `cart-${eventId}`,
      currency: 'EUR',
      items: [{ sku: 'SKU-CHAOS-1', name: 'Chaos tee', quantity: 1, price: 19 }],
    },
  };
}

export function productViewed(customerId: string, eventId: string): ChaosEvent {
  return {
    type: 'product.viewed',
    eventId,
    customerId,
    occurredAt: new Date().toISOString(),
    data: { sku: `SKU-${eventId}`, name: 'Chaos cap' },
  };
}

export function checkoutStarted(customerId: string, eventId: string): ChaosEvent {
  return {
    type: 'checkout.started',
    eventId,
    customerId,
    occurredAt: new Date().toISOString(),
    data: { checkoutId: `checkout-${eventId}`, currency: 'EUR', total: 19 },
  };
}
