import {
  CATEGORY_ADJACENCY,
  DEMO_CATEGORIES,
  type DemoCategory,
} from '../../engine/offers/offerCategories.data';
import { DEMO_CONSUMPTION_CYCLE_DAYS, EXTRA_DEMO_CATEGORIES } from './consumables.data';
import type { Rng } from './rng';

/*
 * The demo store's catalog (catalog.json): categories with their adjacency, margins and
 * consumption cycles, and a few products in each with a price, a cost and, for consumables, how
 * long one lasts. The events name these SKUs, so a reader can look any of them up here.
 */

export const DEMO_CURRENCY = 'EUR';
export const SHOP_URL = 'https://shop.example';

export interface DemoCategoryEntry {
  id: string;
  name: string;
  /** Both ways: a category lists every category bought alongside it. */
  adjacent: string[];
  costRatio: number;
  /** Days one unit lasts; absent for durable goods. */
  consumptionCycleDays?: number;
}

export interface DemoProduct {
  sku: string;
  name: string;
  category: string;
  brand: string;
  price: number;
  /** What one unit costs the shop: price × the product's cost ratio. */
  cost: number;
  costRatio: number;
  url: string;
  consumptionCycleDays?: number;
}

export interface DemoStoreCatalog {
  currency: string;
  categories: DemoCategoryEntry[];
  products: DemoProduct[];
}

const NOUNS: Record<string, readonly string[]> = {
  'running-shoes': ['Road Runner', 'Tempo Trainer', 'Daily Cruiser', 'Race Flat'],
  'trail-shoes': ['Ridge Grip', 'Mud Claw', 'Fell Pro'],
  'running-socks': ['Merino Crew Socks', 'Cushioned Ankle Socks', 'Race Socks 3-pack'],
  'sports-watches': ['GPS Watch 2', 'Multisport Watch', 'Run Watch Lite'],
  smartwatches: ['Smartwatch S', 'Smartwatch Pro'],
  'heart-rate-straps': ['Chest Strap', 'Arm Band Sensor'],
  'running-apparel': ['Wind Jacket', 'Half Tights', 'Long-sleeve Tee', 'Running Vest'],
  insoles: ['Arch Insoles', 'Gel Insoles'],
  'hydration-packs': ['Trail Vest 5L', 'Hydration Belt'],
  'coffee-machines': ['Espresso Machine', 'Filter Brewer', 'Bean-to-cup Machine'],
  'capsule-machines': ['Capsule Machine Mini', 'Capsule Machine Duo'],
  'coffee-beans': ['House Espresso 1kg', 'Ethiopia Filter 500g', 'Dark Roast 1kg', 'Decaf 500g'],
  'coffee-capsules': ['Lungo Capsules 50', 'Ristretto Capsules 50', 'Decaf Capsules 30'],
  descaler: ['Descaler 2-pack', 'Eco Descaler'],
  'milk-frothers': ['Milk Frother', 'Induction Frother'],
  grinders: ['Burr Grinder', 'Hand Grinder'],
  'coffee-cups': ['Espresso Cups 4-pack', 'Travel Mug', 'Latte Glasses'],
  headphones: ['Wireless Earbuds', 'Over-ear Headphones', 'Sport Earbuds'],
  chargers: ['USB-C Charger', 'Braided Cable', 'Wireless Charger'],
  skincare: ['Day Cream', 'Night Serum', 'Cleansing Gel'],
};

const money = (value: number): number => Math.round(value * 100) / 100;
/** A shelf price: whole euros minus five cents, as shops print them. */
const shelfPrice = (value: number): number => Math.max(1, Math.round(value)) - 0.05;

function categoryEntry(category: DemoCategory): DemoCategoryEntry {
  const cycle = DEMO_CONSUMPTION_CYCLE_DAYS[category.id];
  return {
    id: category.id,
    name: category.name,
    adjacent: [...(CATEGORY_ADJACENCY[category.id] ?? [])],
    costRatio: category.costRatio,
    ...(cycle !== undefined && { consumptionCycleDays: cycle }),
  };
}

function products(rng: Rng, category: DemoCategory): DemoProduct[] {
  const prefix = category.id
    .split('-')
    .map((word) => word.slice(0, 3).toUpperCase())
    .join('');
  const cycle = DEMO_CONSUMPTION_CYCLE_DAYS[category.id];
  return (NOUNS[category.id] ?? [category.name]).map((noun, index) => {
    const brand = rng.pick(category.brands);
    const price = shelfPrice(rng.between(category.price[0], category.price[1]));
    // Products vary around their category's margin; a few points either way.
    const costRatio = money(Math.min(0.9, Math.max(0.1, category.costRatio + rng.between(-0.05, 0.05))));
    const sku = `${prefix}-${String(index + 1).padStart(2, '0')}`;
    return {
      sku,
      name: `${brand} ${noun}`,
      category: category.id,
      brand,
      price,
      cost: money(price * costRatio),
      costRatio,
      url: `${SHOP_URL}/p/${sku.toLowerCase()}`,
      ...(cycle !== undefined && { consumptionCycleDays: cycle }),
    };
  });
}

export function demoStoreCatalog(rng: Rng): DemoStoreCatalog {
  const categories = [...DEMO_CATEGORIES, ...EXTRA_DEMO_CATEGORIES];
  return {
    currency: DEMO_CURRENCY,
    categories: categories.map(categoryEntry),
    products: categories.flatMap((category) => products(rng, category)),
  };
}

export function isConsumable(product: DemoProduct): boolean {
  return product.consumptionCycleDays !== undefined;
}
