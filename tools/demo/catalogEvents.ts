import { DEMO_CURRENCY, SHOP_URL, type DemoProduct } from './catalog';
import { DAY, HOUR, type DemoContext } from './context';

/*
 * What merchandising does to the catalog during the window: price drops, sell-outs and restocks,
 * and launches with an early-access window for the top loyalty tiers. Planned first, so customers
 * can save the products these events are about before they happen.
 */

export interface CatalogMoment {
  product: DemoProduct;
  at: number;
}

export interface CatalogPlan {
  priceDrops: (CatalogMoment & { newPrice: number })[];
  /** Sold out at `soldOutAt`, back at `at`. */
  restocks: (CatalogMoment & { soldOutAt: number })[];
  launches: (CatalogMoment & { generalReleaseAt: number; earlyAccessTiers: string[] })[];
}

export const EARLY_ACCESS_TIERS = ['gold', 'platinum'];
const LAUNCHES = [
  { sku: 'LAUNCH-01', name: 'Stridewell Carbon Racer', category: 'running-shoes', price: 229.95 },
  { sku: 'LAUNCH-02', name: 'Vantage Trail Watch X', category: 'sports-watches', price: 449.95 },
  { sku: 'LAUNCH-03', name: 'Barista Pro Dual Boiler', category: 'coffee-machines', price: 1199.95 },
];

/** The launched products, for catalog.json; they are not browsable before their launch. */
export function launchProducts(ctx: Pick<DemoContext, 'catalog'>): DemoProduct[] {
  return LAUNCHES.map((launch) => {
    const costRatio = ctx.catalog.categories.find((c) => c.id === launch.category)?.costRatio ?? 0.6;
    return {
      ...launch,
      brand: launch.name.split(' ')[0] ?? launch.name,
      cost: Math.round(launch.price * costRatio * 100) / 100,
      costRatio,
      url: `${SHOP_URL}/p/${launch.sku.toLowerCase()}`,
    };
  });
}

/**
 * Drops and restocks spread over the second half of the window (savers need time to save first);
 * launches at a fifth, half and nine tenths of it, the last moved onto `alignLastLaunchTo` (a
 * seasonal moment's day) when there is one, so the VIP invitation and the seasonal nudge compete.
 */
export function planCatalog(
  ctx: DemoContext,
  launched: DemoProduct[],
  alignLastLaunchTo?: number,
): CatalogPlan {
  const { rng, days } = ctx;
  const start = ctx.log.start;
  const candidates = rng.sample(ctx.shoppable, 14);
  const morning = (day: number): number => start + day * DAY + (6 + rng.unit() * 3) * HOUR;
  const priceDrops = candidates.slice(0, 8).map((product) => ({
    product,
    at: morning(rng.int(Math.floor(days * 0.3), days - 3)),
    newPrice: Math.round(product.price * rng.pick([0.7, 0.75, 0.8, 0.85])) - 0.05,
  }));
  const restocks = candidates.slice(8).map((product) => {
    const at = morning(rng.int(Math.floor(days * 0.35), days - 3));
    return { product, at, soldOutAt: at - rng.int(6, 20) * DAY };
  });
  const launches = launched.map((product, index) => {
    const fraction = [0.2, 0.5, 0.9][index] ?? 0.9;
    const isLast = index === launched.length - 1;
    const aligned = isLast && alignLastLaunchTo !== undefined;
    const at = aligned ? alignLastLaunchTo - 30 * 60_000 : morning(Math.floor(days * fraction));
    // The moment's preview is for platinum alone: gold members get the seasonal nudge, platinum
    // members are wanted by both playbooks at the same 09:00 and priority picks the invitation.
    return {
      product,
      at,
      generalReleaseAt: at + 3 * DAY,
      earlyAccessTiers: aligned ? ['platinum'] : EARLY_ACCESS_TIERS,
    };
  });
  return { priceDrops, restocks, launches };
}

function completeTheLook(
  ctx: DemoContext,
  product: DemoProduct,
): { sku: string; name: string; price: number; url: string }[] {
  const adjacent = ctx.catalog.categories.find((c) => c.id === product.category)?.adjacent ?? [];
  const pool = ctx.catalog.products.filter((p) => adjacent.includes(p.category));
  return ctx.rng.sample(pool, 2).map((p) => ({ sku: p.sku, name: p.name, price: p.price, url: p.url }));
}

export function writeCatalogEvents(ctx: DemoContext, plan: CatalogPlan): void {
  const { log } = ctx;
  for (const { product, at, newPrice } of plan.priceDrops) {
    log.fanOut('product.price_dropped', at, {
      sku: product.sku,
      name: product.name,
      category: product.category,
      oldPrice: product.price,
      newPrice,
      currency: DEMO_CURRENCY,
    });
  }
  for (const { product, at, soldOutAt } of plan.restocks) {
    log.fanOut('product.stock_changed', soldOutAt, { sku: product.sku, inStock: false, quantity: 0 });
    const look = completeTheLook(ctx, product);
    log.fanOut('product.back_in_stock', at, {
      sku: product.sku,
      name: product.name,
      category: product.category,
      quantity: ctx.rng.int(20, 200),
      currency: DEMO_CURRENCY,
      ...(look.length > 0 && { completeTheLook: look }),
    });
  }
  for (const { product, at, generalReleaseAt, earlyAccessTiers } of plan.launches) {
    log.fanOut('product.launched', at, {
      sku: product.sku,
      name: product.name,
      category: product.category,
      price: product.price,
      currency: DEMO_CURRENCY,
      generalReleaseAt: new Date(generalReleaseAt).toISOString(),
      earlyAccessTiers,
    });
  }
}
