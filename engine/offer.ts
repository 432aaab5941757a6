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
