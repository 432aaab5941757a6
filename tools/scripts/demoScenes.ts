import { DEMO_CURRENCY, SHOP_URL, isConsumable, type DemoProduct } from '../demo/catalog';
import type { DemoStore } from '../demo/generate';
import type { TimerCommand } from '../../engine/triggers/timerCommands';
import type { JourneyEventInput } from '../../schemas/events/schema';
import type { Collections } from '../../store/collections';
import { DemoCast, ProductPicker, type CastMember, type Role } from './demoCast';
import {
  DAY_MS,
  TIMER_LEAD_MS,
  delivered,
  envelope,
  iso,
  order,
  probeTimers,
  retimedOrder,
} from './demoEvents';

/*
 * One short live story per playbook, cast from the generated store and timed now: the generated
 * history lies 90 days back, while fan-out lookbacks, computed timers and runs work on real time,
 * so each scene publishes fresh events for a generated customer and generated products. Where a
 * story needs a past (a first order four days ago, a last purchase weeks ago) that slice is
 * re-timed relative to now.
 */

export interface Scene {
  playbookId: string;
  member: CastMember;
  /** What the customer did, for the section's line. */
  story: string;
  /** When the scene's last event was published (epoch ms): the send's delay is measured from it. */
  at: number;
  /** A durable timer the scene armed instead of (or before) a run: shown with its due time. */
  timer?: TimerCommand;
}

export interface SceneDeps {
  store: DemoStore;
  cast: DemoCast;
  collections: Pick<Collections, 'reorderPopulations'>;
  publish: (label: string, event: JourneyEventInput) => Promise<void>;
}

/** Collateral a first online order starts: held out for the scene's member (see DemoCast.pick). */
const FIRST_ORDER = ['post-purchase-offers', 'category-bridge'];

/** One scene per playbook, and the arbitration scene, whose own playbook is meant to lose. */
export async function playScenes(deps: SceneDeps): Promise<{ scenes: Scene[]; arbitration: Scene }> {
  const { cast, publish } = deps;
  const products = new ProductPicker(deps.store.catalog.products);
  const durable = (p: DemoProduct) => !isConsumable(p);
  const scenes: Scene[] = [];
  const member = async (role: Role) => {
    const m = cast.pick(role);
    await publish(
      `${m.firstName.padEnd(9)} customer.upserted (generated ${m.generatedId})`,
      DemoCast.upserted(m),
    );
    return m;
  };
  const done = (playbookId: string, m: CastMember, story: string, extra: Partial<Scene> = {}) =>
    scenes.push({ playbookId, member: m, story, at: Date.now(), ...extra });

  const browser = await member({ reach: 'email', treatment: 'browse-abandonment' });
  const viewedProduct = products.pick(durable);
  await publish(`${browser.firstName.padEnd(9)} product.viewed ${viewedProduct.sku}`, {
    type: 'product.viewed',
    ...envelope(browser, 'view'),
    data: {
      sku: viewedProduct.sku,
      name: viewedProduct.name,
      url: viewedProduct.url,
      category: viewedProduct.category,
      price: viewedProduct.price,
      currency: DEMO_CURRENCY,
    },
  });
  done('browse-abandonment', browser, `viewed ${viewedProduct.name}`);

  const checkout = await member({ reach: 'phoneOnly', treatment: 'checkout-abandonment' });
  const basket = [products.pick(durable), products.pick(durable)];
  const total = Math.round(basket.reduce((sum, p) => sum + p.price, 0) * 100) / 100;
  await publish(`${checkout.firstName.padEnd(9)} checkout.started`, {
    type: 'checkout.started',
    ...envelope(checkout, 'checkout'),
    data: {
      checkoutId: `co-${checkout.customerId}`,
      currency: DEMO_CURRENCY,
      total,
      items: basket.map((p) => ({
        sku: p.sku,
        name: p.name,
        category: p.category,
        quantity: 1,
        price: p.price,
      })),
      checkoutUrl: `${SHOP_URL}/checkout/${checkout.customerId}`,
    },
  });
  done(
    'checkout-abandonment',
    checkout,
    `started checkout (${total.toFixed(2)} ${DEMO_CURRENCY}), has only a phone`,
  );

  const second = await member({
    reach: 'email',
    treatment: 'second-purchase',
    control: [...FIRST_ORDER, 'care-tips'],
  });
  const firstBuy = [products.pick(durable)];
  await publish(
    `${second.firstName.padEnd(9)} order.placed (4 days ago)`,
    order(second, '1', Date.now() - 4 * DAY_MS, firstBuy),
  );
  await publish(`${second.firstName.padEnd(9)} order.delivered`, delivered(second, '1', firstBuy));
  done('second-purchase', second, `first order (${firstBuy[0]!.name}, 4 days ago) delivered`);

  const bridge = await member({
    reach: 'email',
    treatment: 'category-bridge',
    control: ['post-purchase-offers'],
  });
  const bridged = [products.pick(durable)];
  const bridgeOrderAt = Date.now();
  await publish(
    `${bridge.firstName.padEnd(9)} order.placed (first)`,
    order(bridge, '1', bridgeOrderAt, bridged),
  );
  // The same order armed the durable timer that starts win-back if no order follows.
  const lapse = (await probeTimers(deps.collections.reorderPopulations, bridge, bridged[0]!)).find((t) =>
    t.timerId.startsWith('lapse:'),
  );
  done('category-bridge', bridge, `placed a first order (${bridged[0]!.category})`, {
    ...(lapse && { timer: { ...lapse, dueAt: lapse.dueAt + bridgeOrderAt } }),
  });

  const restock = products.pick(durable);
  const restocked = await member({ reach: 'email', treatment: 'back-in-stock' });
  await publish(`${restocked.firstName.padEnd(9)} wishlist.added ${restock.sku}`, {
    type: 'wishlist.added',
    ...envelope(restocked, 'wish'),
    data: { sku: restock.sku, category: restock.category, price: restock.price, currency: DEMO_CURRENCY },
  });
  await publish(`catalog   product.back_in_stock ${restock.sku}`, {
    type: 'product.back_in_stock',
    eventId: `evt-${restocked.customerId}-restock`,
    occurredAt: iso(Date.now()),
    data: { sku: restock.sku, name: restock.name, category: restock.category, quantity: 12 },
  });
  done('back-in-stock', restocked, `wishlisted ${restock.name}; it came back in stock`);

  const dropped = products.pick(durable);
  const watcher = await member({ reach: 'email', treatment: 'price-drop' });
  await publish(`${watcher.firstName.padEnd(9)} wishlist.added ${dropped.sku}`, {
    type: 'wishlist.added',
    ...envelope(watcher, 'wish'),
    data: { sku: dropped.sku, category: dropped.category, price: dropped.price, currency: DEMO_CURRENCY },
  });
  const newPrice = Math.round(dropped.price * 0.8 * 100) / 100;
  await publish(`catalog   product.price_dropped ${dropped.sku}`, {
    type: 'product.price_dropped',
    eventId: `evt-${watcher.customerId}-drop`,
    occurredAt: iso(Date.now()),
    data: {
      sku: dropped.sku,
      name: dropped.name,
      category: dropped.category,
      oldPrice: dropped.price,
      newPrice,
      currency: DEMO_CURRENCY,
    },
  });
  done('price-drop', watcher, `wishlisted ${dropped.name}; its price dropped ${dropped.price} → ${newPrice}`);

  const launch = products.pick(durable);
  const vip = await member({ reach: 'email', treatment: 'vip-early-access' });
  await publish(`catalog   product.launched ${launch.sku} (early access: platinum)`, {
    type: 'product.launched',
    eventId: `evt-${vip.customerId}-launch`,
    occurredAt: iso(Date.now()),
    data: {
      sku: launch.sku,
      name: launch.name,
      category: launch.category,
      price: launch.price,
      currency: DEMO_CURRENCY,
      generalReleaseAt: iso(Date.now() + 7 * DAY_MS),
      earlyAccessTiers: ['platinum'],
    },
  });
  done('vip-early-access', vip, `is platinum; a product launched with early access`);

  const shopper = await member({ reach: 'email', treatment: 'store-follow-up', control: FIRST_ORDER });
  const inStore = [products.pick(durable)];
  await publish(
    `${shopper.firstName.padEnd(9)} order.placed in store`,
    order(shopper, '1', Date.now(), inStore, 'store-stockholm-1'),
  );
  done('store-follow-up', shopper, `bought ${inStore[0]!.name} in store`);

  const owner = await member({
    reach: 'email',
    treatment: 'care-tips',
    control: [...FIRST_ORDER, 'second-purchase'],
  });
  const kept = [products.pick(durable)];
  await publish(
    `${owner.firstName.padEnd(9)} order.placed (3 days ago)`,
    order(owner, '1', Date.now() - 3 * DAY_MS, kept),
  );
  await publish(`${owner.firstName.padEnd(9)} order.delivered`, delivered(owner, '1', kept));
  done('care-tips', owner, `order of ${kept[0]!.name} delivered (${kept[0]!.category})`);

  // renewsAt just past the save check's lead (5d): the benefits note is due at once (−14d is past)
  // and the churn check follows seconds later; this member is below the 0.6 churn threshold.
  const subscriber = await member({
    reach: 'email',
    treatment: 'renewal-save',
    where: (d) => Number(d.attributes?.churnRisk ?? 0) < 0.6,
  });
  await publish(`${subscriber.firstName.padEnd(9)} subscription.renewal_due (in 5 days)`, {
    type: 'subscription.renewal_due',
    ...envelope(subscriber, 'renewal'),
    data: {
      subscriptionId: `sub-${subscriber.customerId}`,
      renewsAt: iso(Date.now() + 5 * DAY_MS + TIMER_LEAD_MS),
      plan: 'Coffee Club',
      price: 99,
      currency: DEMO_CURRENCY,
    },
  });
  done('renewal-save', subscriber, 'subscription renews in 5 days');

  const regular = await member({ reach: 'email', treatment: 'replenishment', control: FIRST_ORDER });
  // A consumable whose reorder interval is known: its buyers' own, or its category's cycle.
  const refillable = new Set<string>();
  for (const p of deps.store.catalog.products.filter(isConsumable)) {
    const timers = await probeTimers(deps.collections.reorderPopulations, regular, p);
    if (timers.some((t) => t.timerId.startsWith('replenishment:'))) refillable.add(p.sku);
  }
  const refill = products.pick((p) => refillable.has(p.sku));
  const refillOrder = await retimedOrder(
    deps.collections.reorderPopulations,
    regular,
    refill,
    'replenishment',
  );
  await publish(
    `${regular.firstName.padEnd(9)} order.placed (${refillOrder.daysAgo} days ago)`,
    refillOrder.event,
  );
  done(
    'replenishment',
    regular,
    `bought ${refill.name} ${refillOrder.daysAgo} days ago (lasts ~${refill.consumptionCycleDays}d)`,
  );

  const lapsed = await member({ reach: 'email', treatment: 'win-back', control: FIRST_ORDER });
  const lastBuy = products.pick(durable);
  const lapseOrder = await retimedOrder(deps.collections.reorderPopulations, lapsed, lastBuy, 'lapse');
  await publish(
    `${lapsed.firstName.padEnd(9)} order.placed (${lapseOrder.daysAgo} days ago, none since)`,
    lapseOrder.event,
  );
  done('win-back', lapsed, `last ordered ${lapseOrder.daysAgo} days ago`);

  // Two playbooks want one customer's one email of the day: the higher priority sends.
  const contested = await member({ reach: 'email', treatment: 'second-purchase', control: FIRST_ORDER });
  const contestedBuy = [products.pick(durable)];
  await publish(
    `${contested.firstName.padEnd(9)} order.placed (4 days ago)`,
    order(contested, '1', Date.now() - 4 * DAY_MS, contestedBuy),
  );
  await publish(`${contested.firstName.padEnd(9)} order.delivered`, delivered(contested, '1', contestedBuy));
  const arbitration: Scene = {
    playbookId: 'second-purchase',
    member: contested,
    story: `(priority arbitration) first order delivered: care-tips (priority 85) and second-purchase (50) both want today's one email`,
    at: Date.now(),
  };

  // A moment as its Temporal Schedule would publish it, to a cohort only this scene's viewer is in.
  const seasonal = await member({
    reach: 'email',
    treatment: 'seasonal-nudges',
    control: ['browse-abandonment'],
  });
  const browsed = products.pick(durable, true);
  await publish(`${seasonal.firstName.padEnd(9)} product.viewed ${browsed.sku}`, {
    type: 'product.viewed',
    ...envelope(seasonal, 'view'),
    data: {
      sku: browsed.sku,
      name: browsed.name,
      category: browsed.category,
      price: browsed.price,
      currency: DEMO_CURRENCY,
    },
  });
  await publish(`calendar  season.started (cohort: viewed ${browsed.category} today)`, {
    type: 'season.started',
    eventId: `evt-${seasonal.customerId}-season`,
    occurredAt: iso(Date.now()),
    data: {
      momentId: `demo-${browsed.category}-week`,
      name: `${browsed.category} week`,
      startsAt: iso(Date.now()),
      cohort: { viewed: { categories: [browsed.category], within: '1d' } },
      hints: { headline: `${browsed.category} week starts now`, category: browsed.category },
    },
  });
  done(
    'seasonal-nudges',
    seasonal,
    `viewed ${browsed.category}; the moment "${browsed.category} week" started`,
  );
  return { scenes, arbitration };
}
