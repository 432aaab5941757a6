import type { CartUpdated, OrderPlaced } from '../../events/schema';

let counter = 0;
/** Event IDs unique across a test run, so file-backed stores never see a stale duplicate. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export function cartUpdated(customerId: string, overrides: Partial<CartUpdated> = {}): CartUpdated {
  return {
    type: 'cart.updated',
    eventId: uniqueId('evt-cart'),
    customerId,
    occurredAt: new Date().toISOString(),
    cartId: `cart-${customerId}`,
    currency: 'EUR',
    items: [
      { sku: 'SKU-TEE-01', name: 'Organic cotton tee', quantity: 2, unitPrice: 19.5 },
      { sku: 'SKU-CAP-07', name: 'Canvas cap <limited>', quantity: 1, unitPrice: 24 },
    ],
    cartUrl: 'https://shop.example/cart/abc',
    ...overrides,
  };
}

export function orderPlaced(customerId: string, overrides: Partial<OrderPlaced> = {}): OrderPlaced {
  return {
    type: 'order.placed',
    eventId: uniqueId('evt-order'),
    customerId,
    occurredAt: new Date().toISOString(),
    orderId: uniqueId('order'),
    currency: 'EUR',
    total: 63,
    ...overrides,
  };
}
