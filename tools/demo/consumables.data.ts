import type { DemoCategory } from '../../engine/offers/offerCategories.data';

/*
 * Which demo categories are used up and bought again, and how many days one unit typically lasts:
 * the demo store's merchandising data. engine/offers/offerCategories.data.ts has the categories without
 * cycles, and engine/triggers/consumptionCycles.data.ts the engine's fallback cycles under generic names
 * (`coffee`, `skincare`); this file joins the two worlds for the demo only, so neither engine table
 * changes for it.
 */
export const DEMO_CONSUMPTION_CYCLE_DAYS: Readonly<Record<string, number>> = {
  'running-socks': 90,
  'coffee-beans': 30,
  'coffee-capsules': 21,
  descaler: 90,
  // Named as the engine's fallback table names it: a first purchase already schedules a reminder.
  skincare: 60,
};

/**
 * Categories the demo needs that the offer categories lack: a consumable whose cycle the engine
 * knows from a single purchase (its category basis), unlike the coffee categories, which only
 * repeat buyers' own intervals time.
 */
export const EXTRA_DEMO_CATEGORIES: readonly DemoCategory[] = [
  {
    id: 'skincare',
    name: 'Skincare',
    adjacent: [],
    brands: ['Dagg', 'Lumen Skin', 'Fjellrose'],
    price: [14, 49],
    costRatio: 0.3,
    substitutes: [],
  },
];
