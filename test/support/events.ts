import type { CartItem, CartUpdated, JourneyEvent, OrderPlaced } from '../../schemas/events/schema';

let counter = 0;
/** IDs unique across a test run, so file-backed stores never see a stale duplicate. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export const TEE: CartItem = { sku: 'SKU-TEE-01', name: 'Organic cotton tee', quantity: 2, price: 19.5 };
export const CAP: CartItem = { sku: 'SKU-CAP-07', name: 'Canvas cap <limited>', quantity: 1, price: 24 };

export function cartUpdated(customerId: string, data: Partial<CartUpdated['data']> = {}): CartUpdated {
  return {
    type: 'cart.updated',
    eventId: uniqueId('evt-cart'),
    customerId,
    occurredAt: new Date().toISOString(),
    data: {
      cartId: `cart-${customerId}`,
      currency: 'EUR',
      items: [TEE, CAP],
      cartUrl: 'https://shop.example/cart/abc',
      ...data,
    },
  };
}

export function orderPlaced(customerId: string, data: Partial<OrderPlaced['data']> = {}): OrderPlaced {
  return {
    type: 'order.placed',
    eventId: uniqueId('evt-order'),
    customerId,
    occurredAt: new Date().toISOString(),
    data: {
      orderId: uniqueId('order'),
      items: [{ sku: 'SKU-TEE-01', category: 'apparel', price: 19.5, quantity: 2 }],
      total: 39,
      currency: 'EUR',
      salesChannel: 'online',
      ...data,
    },
  };
}

/** Any customer event with a fresh ID, for events whose content does not matter to a test. */
export function customerEvent<T extends JourneyEvent & { customerId: string }>(
  type: T['type'],
  customerId: string,
  data: T['data'],
): T {
  return {
    type,
    eventId: uniqueId(`evt-${type}`),
    customerId,
    occurredAt: new Date().toISOString(),
    data,
  } as T;
}
