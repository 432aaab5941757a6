import type { CartItem } from '../../schemas/events/schema';
import { DEMO_CURRENCY, SHOP_URL, type DemoProduct } from './catalog';
import {
  MINUTE,
  HOUR,
  cartItem,
  localInstant,
  nextId,
  placeOrder,
  shoppingHour,
  type DemoContext,
} from './context';
import type { DemoCustomer } from './customers';

/*
 * Online shopping sessions: views, carts, checkouts and orders, with the ways they end that the
 * abandonment playbooks are about. The shares are rough e-commerce funnel numbers: most sessions
 * are browsing only, about a third of carts are bought.
 */

type Outcome =
  'browse' | 'cart-abandoned' | 'cart-recovered' | 'checkout-abandoned' | 'checkout-ordered' | 'ordered';

const OUTCOMES: readonly (readonly [Outcome, number])[] = [
  ['browse', 42],
  ['cart-abandoned', 18],
  ['cart-recovered', 10],
  ['checkout-abandoned', 10],
  ['checkout-ordered', 8],
  ['ordered', 12],
];

/** The days a lapsing customer is still active: the first five weeks, then silence. */
export const LAPSE_ACTIVE_DAYS = 35;

function view(ctx: DemoContext, customer: DemoCustomer, product: DemoProduct, at: number): void {
  ctx.log.customer('product.viewed', customer.customerId, at, {
    sku: product.sku,
    name: product.name,
    url: product.url,
    category: product.category,
    price: product.price,
    currency: DEMO_CURRENCY,
  });
}

function session(ctx: DemoContext, customer: DemoCustomer, day: number): void {
  const { rng, log } = ctx;
  let t = localInstant(ctx, customer, day, shoppingHour(ctx));
  // Views cluster in one or two categories, as a visit does.
  const anchor = rng.pick(ctx.shoppable);
  const near = ctx.shoppable.filter((p) => p.category === anchor.category || rng.chance(0.1));
  const viewed = [anchor, ...rng.sample(near, rng.int(0, 3))];
  for (const product of viewed) {
    view(ctx, customer, product, t);
    t += rng.between(1, 6) * MINUTE;
  }
  const outcome = rng.weighted(OUTCOMES);
  if (outcome === 'browse') return;

  const cartId = nextId(ctx, 'cart');
  const cartUrl = `${SHOP_URL}/cart/${cartId}`;
  const items: CartItem[] = [];
  const lines: { product: DemoProduct; quantity: number }[] = [];
  let lastCartUpdate = t;
  for (const product of rng.sample(viewed, rng.int(1, Math.min(3, viewed.length)))) {
    const quantity = rng.chance(0.85) ? 1 : 2;
    items.push(cartItem(product, quantity));
    lines.push({ product, quantity });
    log.customer('cart.updated', customer.customerId, t, {
      cartId,
      currency: DEMO_CURRENCY,
      items: [...items],
      cartUrl,
    });
    lastCartUpdate = t;
    t += rng.between(1, 8) * MINUTE;
  }
  const total = Math.round(items.reduce((sum, item) => sum + item.price * item.quantity, 0) * 100) / 100;
  const checkout = (at: number): void =>
    log.customer('checkout.started', customer.customerId, at, {
      checkoutId: nextId(ctx, 'checkout'),
      cartId,
      currency: DEMO_CURRENCY,
      total,
      items: [...items],
      checkoutUrl: `${SHOP_URL}/checkout/${cartId}`,
    });

  switch (outcome) {
    case 'cart-abandoned':
      return;
    case 'cart-recovered':
      // Back within the day or the next, often after the reminder.
      placeOrder(ctx, customer, t + rng.between(1.5, 30) * HOUR, lines, { salesChannel: 'online', cartId });
      return;
    case 'checkout-abandoned':
      // Half of them reach checkout exactly half an hour after their last cart change: the cart and
      // the checkout reminders then fall due together, and priority decides which one is sent.
      checkout(rng.chance(0.5) ? lastCartUpdate + 30 * MINUTE : t + rng.between(2, 20) * MINUTE);
      return;
    case 'checkout-ordered': {
      const started = t + rng.between(2, 20) * MINUTE;
      checkout(started);
      placeOrder(ctx, customer, started + rng.between(3, 15) * MINUTE, lines, {
        salesChannel: 'online',
        cartId,
      });
      return;
    }
    case 'ordered':
      placeOrder(ctx, customer, t + rng.between(2, 15) * MINUTE, lines, { salesChannel: 'online', cartId });
      return;
  }
}

/** Two to ten visits over the window; a lapsing customer's all fall in its first weeks. */
export function shop(ctx: DemoContext, customer: DemoCustomer): void {
  const activeDays = customer.lapses ? Math.min(LAPSE_ACTIVE_DAYS, ctx.days) : ctx.days;
  const visits = ctx.rng.int(2, 10);
  const days = Array.from({ length: visits }, () => ctx.rng.int(0, activeDays - 1)).sort((a, b) => a - b);
  for (const day of days) session(ctx, customer, day);
}
