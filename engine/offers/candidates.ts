import type { IndexedOwn, IndexedPartner } from './catalogIndex';
import type { DecisionContext, OwnCandidate, PartnerCandidate } from './eligibility';
import type { CategoryMatch } from './partnerMatch';
import {
  judgedBasket,
  marginAfter,
  ownOfferCost,
  ownShortTerm,
  partnerShortTerm,
  weightedValue,
} from './value';

/*
 * An offer's cost, margin and value in one decision, worked out once before its rules run: the
 * margin floor, the budget and the value rules all read the same figures, and so do the reasons.
 */

export function ownCandidate(entry: IndexedOwn, context: DecisionContext): OwnCandidate {
  const { offer } = entry;
  const judged = judgedBasket(offer, context.basket, context.settings);
  const cost = ownOfferCost(offer, judged.value, context.settings);
  const shortTerm = ownShortTerm(judged, cost);
  const longTerm = offer.longTermValue ?? 0;
  return {
    family: 'own',
    entry,
    judged,
    cost,
    margin: marginAfter(offer, judged, cost),
    shortTerm,
    longTerm,
    value: weightedValue(context.weights, shortTerm, longTerm),
  };
}

/**
 * A partner offer costs its payout against its budget and is worth what one engagement earns.
 * Given `reuse`, it is filled in place and returned: a decision screens thousands of partner
 * offers and keeps almost none, and not allocating one object (and its boxed numbers) per offer
 * keeps the garbage collector, the main source of slow decisions, out of the way.
 */
export function partnerCandidate(
  entry: IndexedPartner,
  match: CategoryMatch,
  context: DecisionContext,
  reuse?: PartnerCandidate,
): PartnerCandidate {
  const shortTerm = partnerShortTerm(entry.offer, context.settings);
  const value = weightedValue(context.weights, shortTerm, 0);
  if (reuse === undefined)
    return { family: 'partner', entry, match, cost: entry.offer.payout, shortTerm, longTerm: 0, value };
  reuse.entry = entry;
  reuse.match = match;
  reuse.cost = entry.offer.payout;
  reuse.shortTerm = shortTerm;
  reuse.value = value;
  return reuse;
}
