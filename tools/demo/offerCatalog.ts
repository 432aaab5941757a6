import { DEMO_CATEGORIES, type DemoCategory } from '../../engine/offers/offerCategories.data';
import { mulberry32 } from '../../engine/random/mulberry32';
import type {
  DiscountOffer,
  FreeShippingOffer,
  GiftOffer,
  Offer,
  PartnerOffer,
} from '../../schemas/offers/schema';

/*
 * A realistic demo catalog, the same for the same seed: the shop's own offers with margin
 * guardrails, and many partner (retail-media) offers from the brands of DEMO_CATEGORIES, each
 * kept away from purchases where the buyer chose a rival. Pure, so the demo script and the
 * decision benchmark build the same catalog without touching the disk.
 */

export interface DemoCatalogOptions {
  seed?: number;
  ownOffers?: number;
  partnerOffers?: number;
  /** Offers start being valid around this instant (ISO); fixed by default so output is stable. */
  start?: string;
}

export const LOYALTY_TIERS = ['bronze', 'silver', 'gold', 'platinum'] as const;
const DAY = 86_400_000;

type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const between = (rng: Rng, low: number, high: number): number => low + rng() * (high - low);
const round = (value: number, step: number): number => Math.round(value / step) * step;
const money = (value: number): number => Math.round(value * 100) / 100;

function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0)
    chosen.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]!);
  return chosen;
}

function validity(rng: Rng, start: number): { validFrom: string; validTo: string } {
  const from = start + Math.floor(between(rng, -30, 30)) * DAY;
  return {
    validFrom: new Date(from).toISOString(),
    validTo: new Date(from + Math.floor(between(rng, 14, 120)) * DAY).toISOString(),
  };
}

function ownOffer(rng: Rng, index: number, start: number): Offer {
  const id = `own-${String(index + 1).padStart(4, '0')}`;
  const categories = rng() < 0.3 ? [] : sample(rng, DEMO_CATEGORIES, 1 + Math.floor(rng() * 3));
  const names = categories.map((category) => category.name.toLowerCase()).join(', ');
  // A margin floor a little under the categories' gross margin: the discount may eat into it, not through it.
  const margin = categories.length === 0 ? 0.4 : 1 - Math.max(...categories.map((c) => c.costRatio));
  const base = {
    offerId: id,
    active: rng() > 0.05,
    ...validity(rng, start),
    minBasket: round(between(rng, 0, 150), 5),
    ...(categories.length > 0 && { eligibleCategories: categories.map((category) => category.id) }),
    ...(rng() < 0.3 && { eligibleTiers: sample(rng, LOYALTY_TIERS, 1 + Math.floor(rng() * 2)) }),
    marginFloorPercent: Math.max(5, Math.round(margin * 100) - 15),
    perCustomerCap: 1 + Math.floor(rng() * 2),
    totalCap: round(between(rng, 200, 5000), 50),
    budget: round(between(rng, 1000, 20000), 500),
    code: `${id.toUpperCase().replace('-', '')}`,
  };
  const roll = rng();
  const on = names === '' ? 'your next order' : names;
  if (roll < 0.6) {
    const percent = rng() < 0.7;
    const offer: DiscountOffer = {
      kind: 'discount',
      ...base,
      title: '',
      ...(percent
        ? { discountPercent: pick(rng, [5, 10, 15, 20, 25]), maxDiscount: round(between(rng, 20, 100), 5) }
        : { discountAmount: pick(rng, [5, 10, 15, 20]) }),
    };
    offer.title = percent ? `${offer.discountPercent}% off ${on}` : `${offer.discountAmount} off ${on}`;
    return offer;
  }
  if (roll < 0.8) {
    const offer: FreeShippingOffer = { kind: 'freeShipping', ...base, title: `Free shipping on ${on}` };
    return offer;
  }
  const offer: GiftOffer = {
    kind: 'gift',
    ...base,
    title: `A free gift with ${on}`,
    giftCost: money(between(rng, 2, 12)),
  };
  return offer;
}

function partnerOffer(rng: Rng, index: number, start: number): PartnerOffer {
  const category: DemoCategory = pick(rng, DEMO_CATEGORIES);
  const brand = pick(rng, category.brands);
  const cpa = rng() < 0.4;
  const [low, high] = category.price;
  return {
    offerId: `partner-${String(index + 1).padStart(5, '0')}`,
    kind: 'partner',
    title: `${brand}: ${pick(rng, ['10% off', '15% off', 'a free sample', 'early access', 'bundle deal'])} on ${category.name.toLowerCase()}`,
    brand,
    category: category.id,
    // Its own category and substitutes: a buyer there just chose one of this brand's rivals.
    neverNextTo: [category.id, ...category.substitutes],
    payoutModel: cpa ? 'cpa' : 'cpc',
    payout: cpa ? money(between(rng, 0.04, 0.12) * between(rng, low, high)) : money(between(rng, 0.15, 1.5)),
    minBasket: round(between(rng, 0, 60), 5),
    perCustomerCap: 1 + Math.floor(rng() * 3),
    totalCap: round(between(rng, 500, 50_000), 100),
    budget: round(between(rng, 500, 25_000), 100),
    active: rng() > 0.05,
    ...validity(rng, start),
  };
}

/** The own offers first, then the partner offers; IDs are stable for a given size. */
export function demoCatalog(options: DemoCatalogOptions = {}): Offer[] {
  const rng = mulberry32(options.seed ?? 42);
  const start = Date.parse(options.start ?? '2026-11-01T00:00:00Z');
  const own = Array.from({ length: options.ownOffers ?? 200 }, (_, i) => ownOffer(rng, i, start));
  const partner = Array.from({ length: options.partnerOffers ?? 5000 }, (_, i) =>
    partnerOffer(rng, i, start),
  );
  return [...own, ...partner];
}
