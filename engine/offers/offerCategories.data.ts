/*
 * The demo shop's product categories: which sit next to which in a basket (adjacency), the brands
 * in each, what goods cost relative to their price, and which purchases mean the buyer chose a
 * rival. Pure data: the demo catalog generator writes offers from it, and the offer decision can
 * match partner offers to a purchase's adjacent categories with CATEGORY_ADJACENCY. Brands are
 * invented, so the demo never implies a real brand's deal.
 */

export interface DemoCategory {
  id: string;
  name: string;
  /** Categories bought with this one (running shoes → running socks); made symmetric below. */
  adjacent: readonly string[];
  /** Brands selling in it; each competes with the others in the same category. */
  brands: readonly string[];
  /** Typical item price range in the shop's currency. */
  price: readonly [number, number];
  /** Cost of goods as a share of price: 1 − this is the gross margin before any discount. */
  costRatio: number;
  /** Substitutes: a purchase here means a rival of this category's brands was chosen. */
  substitutes: readonly string[];
}

export const DEMO_CATEGORIES: readonly DemoCategory[] = [
  {
    id: 'running-shoes',
    name: 'Running shoes',
    adjacent: ['running-socks', 'sports-watches', 'running-apparel', 'insoles'],
    brands: ['Stridewell', 'Paceline', 'Korsa', 'Tempo Nine', 'Fellrun'],
    price: [79, 189],
    costRatio: 0.55,
    substitutes: ['trail-shoes'],
  },
  {
    id: 'trail-shoes',
    name: 'Trail shoes',
    adjacent: ['running-socks', 'sports-watches', 'hydration-packs'],
    brands: ['Fellrun', 'Ridgeback', 'Korsa'],
    price: [99, 199],
    costRatio: 0.55,
    substitutes: ['running-shoes'],
  },
  {
    id: 'running-socks',
    name: 'Running socks',
    adjacent: ['running-apparel', 'insoles'],
    brands: ['Toebox', 'Stridewell', 'Merinova'],
    price: [9, 25],
    costRatio: 0.35,
    substitutes: [],
  },
  {
    id: 'sports-watches',
    name: 'Sports watches',
    adjacent: ['heart-rate-straps', 'running-apparel'],
    brands: ['Cadence', 'Polaris Sport', 'Vantage'],
    price: [149, 599],
    costRatio: 0.65,
    substitutes: ['smartwatches'],
  },
  {
    id: 'smartwatches',
    name: 'Smartwatches',
    adjacent: ['headphones', 'chargers'],
    brands: ['Vantage', 'Orbit', 'Lumo'],
    price: [199, 799],
    costRatio: 0.7,
    substitutes: ['sports-watches'],
  },
  {
    id: 'heart-rate-straps',
    name: 'Heart-rate straps',
    adjacent: [],
    brands: ['Cadence', 'Pulsewise'],
    price: [39, 99],
    costRatio: 0.45,
    substitutes: [],
  },
  {
    id: 'running-apparel',
    name: 'Running apparel',
    adjacent: ['hydration-packs'],
    brands: ['Paceline', 'Nordlys', 'Merinova'],
    price: [25, 140],
    costRatio: 0.4,
    substitutes: [],
  },
  {
    id: 'insoles',
    name: 'Insoles',
    adjacent: [],
    brands: ['Archwell', 'Toebox'],
    price: [19, 59],
    costRatio: 0.3,
    substitutes: [],
  },
  {
    id: 'hydration-packs',
    name: 'Hydration packs',
    adjacent: [],
    brands: ['Ridgeback', 'Camelo'],
    price: [35, 120],
    costRatio: 0.45,
    substitutes: [],
  },
  {
    id: 'coffee-machines',
    name: 'Coffee machines',
    adjacent: ['coffee-beans', 'descaler', 'milk-frothers', 'coffee-cups'],
    brands: ['Brevia', 'Crema Casa', 'Moccamaster Nord', 'Barista Pro'],
    price: [149, 1299],
    costRatio: 0.7,
    substitutes: ['capsule-machines'],
  },
  {
    id: 'capsule-machines',
    name: 'Capsule machines',
    adjacent: ['coffee-capsules', 'descaler', 'milk-frothers'],
    brands: ['Capsella', 'Brevia'],
    price: [79, 299],
    costRatio: 0.75,
    substitutes: ['coffee-machines'],
  },
  {
    id: 'coffee-beans',
    name: 'Coffee beans',
    adjacent: ['coffee-cups', 'grinders'],
    brands: ['Rosteriet', 'Highland Roast', 'Kaffa Co', 'Bean Theory'],
    price: [9, 39],
    costRatio: 0.5,
    substitutes: ['coffee-capsules'],
  },
  {
    id: 'coffee-capsules',
    name: 'Coffee capsules',
    adjacent: ['coffee-cups'],
    brands: ['Capsella', 'Kaffa Co'],
    price: [5, 25],
    costRatio: 0.45,
    substitutes: ['coffee-beans'],
  },
  {
    id: 'descaler',
    name: 'Descaler',
    adjacent: [],
    brands: ['Kalkfri', 'Brevia'],
    price: [7, 19],
    costRatio: 0.25,
    substitutes: [],
  },
  {
    id: 'milk-frothers',
    name: 'Milk frothers',
    adjacent: ['coffee-cups'],
    brands: ['Crema Casa', 'Frothy'],
    price: [29, 129],
    costRatio: 0.5,
    substitutes: [],
  },
  {
    id: 'grinders',
    name: 'Grinders',
    adjacent: [],
    brands: ['Barista Pro', 'Mahlwerk'],
    price: [49, 399],
    costRatio: 0.6,
    substitutes: [],
  },
  {
    id: 'coffee-cups',
    name: 'Cups and mugs',
    adjacent: [],
    brands: ['Lerverk', 'Porslin'],
    price: [8, 45],
    costRatio: 0.3,
    substitutes: [],
  },
  {
    id: 'headphones',
    name: 'Headphones',
    adjacent: ['chargers'],
    brands: ['Sonavi', 'Lumo', 'Decibel'],
    price: [39, 449],
    costRatio: 0.6,
    substitutes: [],
  },
  {
    id: 'chargers',
    name: 'Chargers and cables',
    adjacent: [],
    brands: ['Voltline', 'Lumo'],
    price: [9, 79],
    costRatio: 0.35,
    substitutes: [],
  },
];

function symmetricAdjacency(categories: readonly DemoCategory[]): Record<string, string[]> {
  const adjacency: Record<string, Set<string>> = {};
  for (const category of categories) adjacency[category.id] ??= new Set();
  for (const category of categories) {
    for (const other of category.adjacent) {
      adjacency[category.id]!.add(other);
      (adjacency[other] ??= new Set()).add(category.id);
    }
  }
  return Object.fromEntries(Object.entries(adjacency).map(([id, set]) => [id, [...set].sort()]));
}

/**
 * For each category, the categories bought alongside it, both ways: a partner offer in one of
 * them fits a purchase in this one.
 */
export const CATEGORY_ADJACENCY: Readonly<Record<string, readonly string[]>> =
  symmetricAdjacency(DEMO_CATEGORIES);
