import { DEMO_CURRENCY } from './catalog';
import type { CatalogPlan } from './catalogEvents';
import {
  DAY,
  HOUR,
  MINUTE,
  localInstant,
  nextId,
  placeOrder,
  shoppingHour,
  type DemoContext,
} from './context';
import type { DemoCustomer } from './customers';
import { DEMO_STORES } from './markets.data';
import { LAPSE_ACTIVE_DAYS } from './shopping';

/*
 * The rest of a customer's life with the shop, beyond single sessions: reorders of consumables at
 * their own pace, store visits, saved items, a membership that comes up for renewal, consent
 * changes, clicks on messages and the odd tier upgrade.
 */

/**
 * A consumable reordered at the customer's own cycle (the category's × their pace) with ±8% noise,
 * until the window ends or they stop. This is what the replenishment timers learn from.
 */
function reorder(ctx: DemoContext, customer: DemoCustomer, pace: number): void {
  const { rng } = ctx;
  const product = rng.pick(ctx.consumables);
  const cycle = (product.consumptionCycleDays ?? 30) * pace;
  const stopsAfter = customer.lapses ? rng.int(1, 2) : rng.chance(0.15) ? rng.int(1, 3) : Infinity;
  const lastDay = customer.lapses ? LAPSE_ACTIVE_DAYS : ctx.days;
  let at = localInstant(ctx, customer, rng.int(0, 25), shoppingHour(ctx));
  for (let n = 0; n < stopsAfter && at < ctx.log.start + lastDay * DAY; n++) {
    placeOrder(ctx, customer, at, [{ product, quantity: rng.chance(0.8) ? 1 : 2 }], {
      salesChannel: 'online',
    });
    at += cycle * (1 + rng.between(-0.08, 0.08)) * DAY;
  }
}

function storeVisits(ctx: DemoContext, customer: DemoCustomer): void {
  const { rng, log } = ctx;
  const stores = DEMO_STORES.filter((store) => store.country === customer.market.country);
  if (stores.length === 0) return;
  for (let v = rng.int(1, 3); v > 0; v--) {
    const store = rng.pick(stores);
    const associateId = rng.pick(store.associates);
    const lastDay = customer.lapses ? LAPSE_ACTIVE_DAYS : ctx.days;
    const at = localInstant(ctx, customer, rng.int(0, lastDay - 1), rng.between(10, 18));
    log.customer('store.visited', customer.customerId, at, { storeId: store.storeId, associateId });
    if (!rng.chance(0.65)) continue;
    const lines = rng.sample(ctx.shoppable, rng.int(1, 2)).map((product) => ({ product, quantity: 1 }));
    placeOrder(ctx, customer, at + rng.between(15, 60) * MINUTE, lines, {
      salesChannel: 'store',
      storeId: store.storeId,
    });
  }
}

/** Saves mostly the products a drop or a restock is coming for, some days before it comes. */
function wishlist(ctx: DemoContext, customer: DemoCustomer, plan: CatalogPlan): void {
  const { rng, log } = ctx;
  const moments = [...plan.priceDrops, ...plan.restocks];
  for (let n = rng.int(1, 3); n > 0; n--) {
    const moment = rng.chance(0.75) ? rng.pick(moments) : undefined;
    const product = moment?.product ?? rng.pick(ctx.shoppable);
    const at =
      moment === undefined
        ? localInstant(ctx, customer, rng.int(0, ctx.days - 1), shoppingHour(ctx))
        : Math.max(ctx.log.start + HOUR, moment.at - rng.between(2, 40) * DAY);
    log.customer('wishlist.added', customer.customerId, at, {
      sku: product.sku,
      category: product.category,
      price: product.price,
      currency: DEMO_CURRENCY,
    });
    // Some buy once the news arrives: the goal that ends their price-drop or restock run.
    if (moment !== undefined && rng.chance(0.15))
      placeOrder(ctx, customer, moment.at + rng.between(2, 36) * HOUR, [{ product, quantity: 1 }], {
        salesChannel: 'online',
      });
  }
}

/** Members renew yearly; the notice comes three to four weeks ahead, from the billing system. */
function subscription(ctx: DemoContext, customer: DemoCustomer): void {
  const { rng, log } = ctx;
  const subscriptionId = nextId(ctx, 'sub');
  const dueAt = ctx.log.start + rng.int(3, Math.max(4, ctx.days - 30)) * DAY + 3 * HOUR;
  const renewsAt = dueAt + rng.int(20, 32) * DAY - 3 * HOUR;
  log.customer('subscription.renewal_due', customer.customerId, dueAt, {
    subscriptionId,
    renewsAt: new Date(renewsAt).toISOString(),
    plan: 'Members Plus',
    price: 49,
    currency: DEMO_CURRENCY,
  });
  const outcome = rng.weighted([
    ['renewed', 65],
    ['cancelled', 12],
    ['undecided', 23],
  ] as const);
  if (outcome === 'renewed')
    log.customer('subscription.renewed', customer.customerId, renewsAt + rng.between(0, 2) * HOUR, {
      subscriptionId,
      renewedAt: new Date(renewsAt).toISOString(),
      plan: 'Members Plus',
    });
  else if (outcome === 'cancelled')
    log.customer('subscription.cancelled', customer.customerId, renewsAt - rng.int(1, 6) * DAY, {
      subscriptionId,
      reason: rng.pick(['too expensive', 'not using it', 'moving abroad']),
    });
}

function consents(ctx: DemoContext, customer: DemoCustomer): void {
  const { rng, log } = ctx;
  const someday = (): number => localInstant(ctx, customer, rng.int(1, ctx.days - 1), shoppingHour(ctx));
  if (customer.hasEmail && rng.chance(0.04))
    log.customer('consent.updated', customer.customerId, someday(), {
      channel: 'email',
      purpose: 'marketing',
      granted: false,
    });
  if (customer.hasPhone && rng.chance(0.05))
    log.customer('consent.updated', customer.customerId, someday(), {
      channel: 'sms',
      purpose: 'marketing',
      granted: true,
    });
  if (customer.hasEmail && rng.chance(0.02))
    log.customer('consent.updated', customer.customerId, someday(), {
      channel: 'email',
      purpose: 'personalization',
      granted: false,
    });
}

/** Opens and clicks on the shop's messages; the IDs are the provider's, which the demo invents. */
function engagement(ctx: DemoContext, customer: DemoCustomer): void {
  const { rng, log } = ctx;
  if (!rng.chance(0.3)) return;
  for (let n = rng.int(1, 4); n > 0; n--) {
    log.customer(
      'message.engaged',
      customer.customerId,
      localInstant(ctx, customer, rng.int(0, ctx.days - 1), shoppingHour(ctx)),
      {
        messageId: nextId(ctx, 'msg'),
        kind: rng.weighted([
          ['opened', 5],
          ['clicked', 4],
          ['converted', 1],
        ] as const),
      },
    );
  }
}

/** Top-tier customers buy some launches in their early-access window: the VIP playbook's goal. */
function earlyAccess(ctx: DemoContext, customer: DemoCustomer, plan: CatalogPlan): void {
  if (customer.tier !== 'gold' && customer.tier !== 'platinum') return;
  for (const launch of plan.launches) {
    if (!ctx.rng.chance(0.15)) continue;
    const at = launch.at + ctx.rng.between(6, 60) * HOUR;
    placeOrder(ctx, customer, at, [{ product: launch.product, quantity: 1 }], { salesChannel: 'online' });
  }
}

export function live(ctx: DemoContext, customer: DemoCustomer, plan: CatalogPlan): void {
  const { rng, log } = ctx;
  if (customer.consumerPace !== undefined) reorder(ctx, customer, customer.consumerPace);
  if (customer.storeShopper) storeVisits(ctx, customer);
  if (customer.wishlister) wishlist(ctx, customer, plan);
  if (customer.subscriber) subscription(ctx, customer);
  consents(ctx, customer);
  engagement(ctx, customer);
  earlyAccess(ctx, customer, plan);
  if ((customer.tier === 'silver' || customer.tier === 'bronze') && rng.chance(0.03)) {
    const to = customer.tier === 'silver' ? 'gold' : 'silver';
    log.customer(
      'loyalty.tier_changed',
      customer.customerId,
      localInstant(ctx, customer, rng.int(1, ctx.days - 1), 4),
      {
        from: customer.tier,
        to,
      },
    );
  }
}
