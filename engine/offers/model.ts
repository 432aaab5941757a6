import type { OfferKind } from '../../schemas/offers/schema';
import type { OfferSettings } from '../../schemas/policy/schema';
import type { Basket } from './basket';
import type { CatalogIndex } from './catalogIndex';
import type { EngagementCounts } from './learning';
import type { ValueWeights } from './candidate';

/*
 * What an offer decision reads: the model (catalog, learned engagement, usage, settings), held in
 * memory by the activity and the simulator alike, and the request of one decision. Plain data
 * only; the decision itself (engine/offers/decide.ts) reads nothing else.
 */

/**
 * One offer's use so far, across customers: own offers count redemptions and the discount given,
 * partner offers count paid events and the payouts earned.
 */
export interface OfferUsage {
  redemptions: number;
  spent: number;
}

export interface OfferModel {
  index: CatalogIndex;
  /** Decayed counts from engagementFromDaily. */
  engagement: ReadonlyMap<string, EngagementCounts>;
  /** By offer ID; absent means none yet. */
  usage: ReadonlyMap<string, OfferUsage>;
  settings: OfferSettings;
}

export interface OfferRequest {
  /** Seeds every draw: the same key and the same model give the same decision (replay, simulator). */
  decisionKey: string;
  customerId: string;
  /** Epoch ms: validity dates are judged at this instant. */
  at: number;
  /** Absent means every kind. */
  kinds?: OfferKind[];
  loyaltyTier?: string;
  /** May be EMPTY_BASKET: a trigger without items. */
  basket: Basket;
  /** How often this customer was already granted each offer, by offer ID. */
  customerGrants: Readonly<Record<string, number>>;
  /** Weights of this order's money and of long-term value; default 1 and 1. */
  value?: ValueWeights;
}
