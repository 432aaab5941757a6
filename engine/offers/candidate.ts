import type { OwnOffer } from '../../schemas/offers/schema';
import type { Indexed, IndexedPartner } from './catalogIndex';
import type { CategoryMatch } from './partnerMatch';

/*
 * An offer as one decision sees it: the catalog entry with what it would cost and be worth on this
 * basket, worked out once (value.ts) before its rules run, so the margin floor, the budget, the
 * value rule and the reasons all read the same figures.
 */

/** How a decision weighs this order's money against what the offer is worth later. */
export interface ValueWeights {
  shortTerm: number;
  longTerm: number;
}

/** The basket an own offer's cost, margin and value are judged on. */
export interface JudgedBasket {
  value: number;
  /** Cost of goods as a share of value. */
  costShare: number;
  /** True when the real basket was empty and this is the worst basket that could redeem it. */
  worst: boolean;
}

interface CandidateOf<E extends Indexed> {
  entry: E;
  /** What choosing it spends from its budget: the discount, shipping or gift, or the payout. */
  cost: number;
  shortTerm: number;
  longTerm: number;
  /** weights.shortTerm × shortTerm + weights.longTerm × longTerm. */
  value: number;
}

export interface OwnCandidate extends CandidateOf<Indexed<OwnOffer>> {
  family: 'own';
  judged: JudgedBasket;
  /** Margin share left after the offer on the judged basket. */
  margin: number;
}

export interface PartnerCandidate extends CandidateOf<IndexedPartner> {
  family: 'partner';
  match: CategoryMatch;
}

export type Candidate = OwnCandidate | PartnerCandidate;
