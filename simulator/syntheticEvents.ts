import { mulberry32 } from '../engine/random/mulberry32';
import type { CartItem, JourneyEvent } from '../schemas/events/schema';

const PRODUCTS: CartItem[] = [
  { sku: 'TEE-01', name: 'Organic cotton tee', category: 'apparel', quantity: 1, price: 19.5 },
  { sku: 'CAP-07', name: 'Canvas cap', category: 'accessories', quantity: 1, price: 24 },
  { sku: 'BOOT-3', name: 'Waxed leather boots', category: 'footwear', quantity: 1, price: 149 },
  { sku: 'SOCK-2', name: 'Merino socks', category: 'apparel', quantity: 1, price: 12 },
  { sku: 'BAG-11', name: 'Weekend bag', category: 'bags', quantity: 1, price: 89 },
];
const ZONES = ['Europe/Stockholm', 'Europe/London', 'America/New_York', 'Asia/Tokyo'];
const HOUR = 3_600_000;

/**
 * A realistic-enough event stream for backtests and benchmarks: each customer is created, browses,
 * fills carts (several updates each) and orders some of them, spread over `days`.
 */
export function* syntheticEvents(options: {
  customers: number;
  days: number;
  start: number;
  seed?: number;
}): Generator<JourneyEvent> {
  const rand = mulberry32(options.seed ?? 42);
  const span = options.days * 24 * HOUR;
  let n = 0;
  const id = (kind: string) => `syn-${kind}-${(n++).toString(36)}`;
  const at = (t: number) => new Date(Math.round(t)).toISOString();
  for (let c = 0; c < options.customers; c++) {
    const customerId = `syn-c${c}`;
    const joined = options.start + rand() * span * 0.2;
    yield {
      type: 'customer.upserted',
      eventId: id('u'),
      customerId,
      occurredAt: at(joined),
      data: {
        firstName: `Customer${c}`,
        ...(rand() < 0.9 && { email: `c${c}@example.test` }),
        ...(rand() < 0.5 && { phone: `+1555${String(1_000_000 + c).slice(-7)}` }),
        timezone: ZONES[Math.floor(rand() * ZONES.length)]!,
      },
    };
    const sessions = 1 + Math.floor(rand() * 8);
    for (let s = 0; s < sessions; s++) {
      let t = joined + rand() * (options.start + span - joined);
      const product = PRODUCTS[Math.floor(rand() * PRODUCTS.length)]!;
      yield {
        type: 'product.viewed',
        eventId: id('v'),
        customerId,
        occurredAt: at(t),
        data: { sku: product.sku, category: product.category! },
      };
      if (rand() < 0.5) continue;
      const cartId = id('cart');
      const items: CartItem[] = [];
      for (let u = 0, updates = 1 + Math.floor(rand() * 3); u < updates; u++) {
        t += rand() * 0.5 * HOUR;
        items.push({
          ...PRODUCTS[Math.floor(rand() * PRODUCTS.length)]!,
          quantity: 1 + Math.floor(rand() * 2),
        });
        yield {
          type: 'cart.updated',
          eventId: id('c'),
          customerId,
          occurredAt: at(t),
          data: { cartId, currency: 'EUR', items: [...items] },
        };
      }
      if (rand() < 0.4) {
        t += rand() * 3 * HOUR;
        const total = items.reduce((sum, i) => sum + i.quantity * i.price, 0);
        yield {
          type: 'order.placed',
          eventId: id('o'),
          customerId,
          occurredAt: at(t),
          data: {
            orderId: id('order'),
            items: items.map((i) => ({
              sku: i.sku,
              category: i.category!,
              price: i.price,
              quantity: i.quantity,
            })),
            total,
            currency: 'EUR',
            salesChannel: 'online',
            cartId,
          },
        };
      }
    }
  }
}
