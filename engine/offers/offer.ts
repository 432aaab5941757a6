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
 * JSON: it lives in workflow state and in MongoDB. Decisions recorded before scoring (the
 * first, largest-discount rule) lack contextKey, scores and rejected; readers of stored decisions
 * must allow for that.
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
