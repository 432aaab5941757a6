/**
 * How the chosen offer scored. Stored with the grant, so the lift report and the learning can tell
 * explored choices (random, unbiased) from exploited ones.
 */
export interface OfferScores {
  /** The engagement probability sampled for it (Thompson sampling), 0–1. */
  engagement: number;
  /** What one engagement is worth: margin and long-term value (own) or payout (partner). */
  value: number;
  /** engagement × value: what the choice maximised, unless explored. */
  expectedValue: number;
  /** Chosen at random among the eligible offers, to keep learning. */
  explored: boolean;
  /** Offers that passed every rule. */
  eligible: number;
  /** Offers looked at: the own offers and the partner offers of the purchase's categories. */
  considered: number;
}

/**
 * The result of a decideOffer step, readable by later steps and templates under `offer.`. Plain
 * JSON: it lives in workflow state and in MongoDB. Decisions recorded before scoring (chooseOffer)
 * lack contextKey, scores and rejected; readers of stored decisions must allow for that.
 */
export interface OfferDecision {
  offerId: string;
  kind: 'discount' | 'freeShipping' | 'gift' | 'partner';
  title: string;
  code?: string;
  discountPercent?: number;
  /** What the discount takes off this basket, rounded to cents (a fixed amount when the basket is empty). */
  discountAmount?: number;
  brand?: string;
  /** A partner offer's category. */
  category?: string;
  payoutModel?: 'cpc' | 'cpa';
  /** The context its engagement is learned in: the basket's primary category, or `none`. */
  contextKey: string;
  scores: OfferScores;
  /** Offers turned down, counted by the first rule each failed (`margin-floor`, `never-next-to`, …). */
  rejected: Record<string, number>;
  /** Why this offer: the rules it passed and its score, stored with the decision. */
  reasons: string[];
}

export const OFFER_FIELDS = [
  'offerId',
  'kind',
  'title',
  'code',
  'discountPercent',
  'discountAmount',
  'brand',
  'category',
] as const;

/** An offer in the catalog, as the decision reads it. Issue-5 scoring extends this shape. */
export interface CatalogOffer {
  offerId: string;
  kind: OfferDecision['kind'];
  title: string;
  code?: string;
  discountPercent?: number;
  brand?: string;
  active: boolean;
  /** ISO instants; absent means unbounded. */
  validFrom?: string;
  validTo?: string;
  /** Minimum basket value of the triggering cart or order. */
  minBasket?: number;
}

/**
 * Picks the best eligible offer: active, within its dates, of a wanted kind, basket large enough;
 * then the largest discount, ties broken by offer ID so the choice is deterministic. Pure: the
 * activity and the simulator call it with the same catalog.
 */
export function chooseOffer(
  offers: readonly CatalogOffer[],
  context: { basket?: number; kinds?: OfferDecision['kind'][] },
  now: number,
): OfferDecision | null {
  const eligible = offers.filter(
    (o) =>
      o.active &&
      (context.kinds === undefined || context.kinds.includes(o.kind)) &&
      (o.validFrom === undefined || Date.parse(o.validFrom) <= now) &&
      (o.validTo === undefined || now < Date.parse(o.validTo)) &&
      (o.minBasket === undefined || (context.basket ?? 0) >= o.minBasket),
  );
  eligible.sort(
    (a, b) => (b.discountPercent ?? 0) - (a.discountPercent ?? 0) || a.offerId.localeCompare(b.offerId),
  );
  const best = eligible[0];
  if (!best) return null;
  const reasons = [
    'active',
    'within dates',
    ...(best.minBasket === undefined ? [] : [`basket ≥ ${best.minBasket}`]),
    `highest discount of ${eligible.length} eligible`,
  ];
  return {
    offerId: best.offerId,
    kind: best.kind,
    title: best.title,
    ...(best.code !== undefined && { code: best.code }),
    ...(best.discountPercent !== undefined && { discountPercent: best.discountPercent }),
    ...(best.brand !== undefined && { brand: best.brand }),
    contextKey: 'none',
    scores: {
      engagement: 0,
      value: 0,
      expectedValue: 0,
      explored: false,
      eligible: eligible.length,
      considered: offers.length,
    },
    rejected: {},
    reasons,
  };
}

/** The basket value a trigger carries (cart items or order total), for minimum-basket rules. */
export function basketValue(trigger: { type: string; data: unknown }): number | undefined {
  const data = trigger.data as { total?: unknown; items?: { quantity?: number; unitPrice?: number }[] };
  if (typeof data.total === 'number') return data.total;
  if (Array.isArray(data.items)) {
    return data.items.reduce((sum, item) => sum + (item.quantity ?? 0) * (item.unitPrice ?? 0), 0);
  }
  return undefined;
}
