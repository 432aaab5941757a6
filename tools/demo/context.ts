import type { CartItem, OrderItem } from '../../schemas/events/schema';
import { DEMO_CURRENCY, SHOP_URL, type DemoProduct, type DemoStoreCatalog } from './catalog';
import type { DemoCustomer } from './customers';
import type { EventLog } from './eventLog';
import type { Rng } from './rng';

/*
 * What every behaviour generator shares: the seeded stream, the log, the catalog and the window,
 * with the few helpers that turn a customer's day and local hour into an instant and write an
 * order with its delivery and, now and then, its return.
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export interface DemoContext {
  rng: Rng;
  log: EventLog;
  catalog: DemoStoreCatalog;
  days: number;
  /** Durable goods anyone may browse, cart and buy. */
  shoppable: DemoProduct[];
  /** Products used up and bought again. */
  consumables: DemoProduct[];
  /** Per-kind counters for the business IDs events carry (orders, carts, messages…). */
  counters: Map<string, number>;
}

export function nextId(ctx: DemoContext, kind: string): string {
  const n = (ctx.counters.get(kind) ?? 0) + 1;
  ctx.counters.set(kind, n);
  return `${kind}-${String(n).padStart(6, '0')}`;
}

/** Day `day` of the window at `hour` on the customer's clock (fractional hours allowed). */
export function localInstant(ctx: DemoContext, customer: DemoCustomer, day: number, hour: number): number {
  return ctx.log.start + day * DAY + (hour - customer.market.utcOffsetHours) * HOUR;
}

/** A waking hour, weighted to lunch breaks and evenings, when people shop. */
export function shoppingHour(ctx: DemoContext): number {
  const hour = ctx.rng.weighted([
    [8, 1],
    [10, 2],
    [12, 3],
    [14, 2],
    [17, 2],
    [19, 4],
    [21, 3],
  ] as const);
  return hour + ctx.rng.unit() * 2;
}

export function cartItem(product: DemoProduct, quantity = 1): CartItem {
  return {
    sku: product.sku,
    name: product.name,
    category: product.category,
    quantity,
    price: product.price,
    imageUrl: `${SHOP_URL}/img/${product.sku.toLowerCase()}.jpg`,
  };
}

export function orderItem(product: DemoProduct, quantity = 1): OrderItem {
  return {
    sku: product.sku,
    name: product.name,
    category: product.category,
    price: product.price,
    quantity,
    cost: product.cost,
  };
}

const RETURN_REASONS = ['too small', 'too large', 'not as pictured', 'changed my mind', 'arrived damaged'];

/**
 * An order, and for an online one its delivery two to four days later and, for about one in twelve,
 * a return some days after that. Returns the order ID.
 */
export function placeOrder(
  ctx: DemoContext,
  customer: DemoCustomer,
  at: number,
  lines: { product: DemoProduct; quantity: number }[],
  options: { salesChannel: 'online' | 'store'; cartId?: string; storeId?: string },
): string {
  const { rng, log } = ctx;
  const orderId = nextId(ctx, 'order');
  const goods = lines.reduce((sum, { product, quantity }) => sum + product.price * quantity, 0);
  const shipping = options.salesChannel === 'online' && goods < 50 ? 4.95 : 0;
  log.customer('order.placed', customer.customerId, at, {
    orderId,
    items: lines.map(({ product, quantity }) => orderItem(product, quantity)),
    total: Math.round((goods + shipping) * 100) / 100,
    currency: DEMO_CURRENCY,
    salesChannel: options.salesChannel,
    ...(options.storeId !== undefined && { storeId: options.storeId }),
    ...(options.cartId !== undefined && { cartId: options.cartId }),
  });
  if (options.salesChannel === 'store') return orderId;
  const deliveredAt = at + rng.between(2, 4) * DAY;
  log.customer('order.delivered', customer.customerId, deliveredAt, {
    orderId,
    categories: [...new Set(lines.map(({ product }) => product.category))].sort(),
  });
  if (rng.chance(0.08)) {
    const line = rng.pick(lines);
    log.customer('order.returned', customer.customerId, deliveredAt + rng.between(3, 14) * DAY, {
      orderId,
      items: [{ sku: line.product.sku, quantity: 1 }],
      reason: rng.pick(RETURN_REASONS),
    });
  }
  return orderId;
}
