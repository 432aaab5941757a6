/** The result of a decideOffer step, readable by later steps and templates under `offer.`. */
export interface OfferDecision {
  offerId: string;
  kind: 'discount' | 'freeShipping' | 'gift' | 'partner';
  title: string;
  code?: string;
  discountPercent?: number;
  brand?: string;
  /** Why this offer: the rules it passed and its score, stored with the decision. */
  reasons: string[];
}

export const OFFER_FIELDS = ['offerId', 'kind', 'title', 'code', 'discountPercent', 'brand'] as const;

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
