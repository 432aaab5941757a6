import type { OfferSettings } from '../../schemas/policy/schema';
import type { OwnOffer } from '../../schemas/offers/schema';
import { costRatio, type Basket, type CostModel } from './basket';
import type { JudgedBasket, OwnCandidate, PartnerCandidate, ValueWeights } from './candidate';
import type { IndexedOwn, IndexedPartner } from './catalogIndex';
import type { CategoryMatch } from './partnerMatch';

/*
 * What an offer costs and what it is worth. Own offers are judged on the basket they would be
 * redeemed with: the real one, or with an empty basket (a trigger without items) the worst basket
 * that could redeem it, so a guardrail passed now cannot be broken at checkout.
 */

export const DEFAULT_WEIGHTS: ValueWeights = { shortTerm: 1, longTerm: 1 };

/**
 * The highest cost ratio the offer could be redeemed at: of its eligible categories, or, when it
 * has none, of every configured ratio and the default (any category may redeem it).
 */
export function worstCostRatio(offer: OwnOffer, model: CostModel): number {
  const categories = offer.eligibleCategories ?? [];
  if (categories.length > 0) return Math.max(...categories.map((category) => costRatio(model, category)));
  return Math.max(model.defaultCostRatio, ...Object.values(model.costRatios));
}

/**
 * The real basket when it has value; else the smallest basket that redeems the offer (its
 * minimum, or nothing) at the worst cost ratio. Smallest is worst: no own offer's margin gets
 * worse as the basket grows (a percentage keeps its share or, capped by maxDiscount, shrinks; a
 * fixed amount, shipping or a gift weigh less on a larger order).
 */
export function judgedBasket(offer: OwnOffer, basket: Basket, model: CostModel): JudgedBasket {
  if (basket.value > 0) return { value: basket.value, costShare: basket.cost / basket.value, worst: false };
  return { value: offer.minBasket ?? 0, costShare: worstCostRatio(offer, model), worst: true };
}

/** What the offer gives away on a basket of this value: the discount, the shipping or the gift. */
export function ownOfferCost(
  offer: OwnOffer,
  basketValue: number,
  settings: Pick<OfferSettings, 'shippingCost'>,
): number {
  switch (offer.kind) {
    case 'discount': {
      const cap = offer.maxDiscount ?? Infinity;
      if (offer.discountPercent !== undefined)
        return Math.min((basketValue * offer.discountPercent) / 100, cap);
      return Math.min(offer.discountAmount ?? 0, cap, basketValue);
    }
    case 'freeShipping':
      return settings.shippingCost;
    case 'gift':
      return offer.giftCost ?? 0;
  }
}

/**
 * The margin left after the offer, as a share: a discount lowers the price, so it is judged on
 * what the customer pays, (value − discount − cost) / (value − discount); shipping and gifts are
 * costs on top, judged on the order's value, (value − cost − offer cost) / value. −∞ when nothing
 * is left to judge (an amount discount that takes the whole basket).
 */
export function marginAfter(offer: OwnOffer, judged: JudgedBasket, offerCost: number): number {
  const { value, costShare } = judged;
  if (offer.kind === 'discount') {
    const paid = value - offerCost;
    if (paid > 0) return (paid - value * costShare) / paid;
    // An empty basket without a minimum: a percentage shrinks with the basket, so its margin on
    // any small basket is the same, 1 − costShare / (1 − percent). A fixed amount has no floor.
    if (value === 0 && offer.discountPercent !== undefined && offer.discountPercent < 100)
      return 1 - costShare / (1 - offer.discountPercent / 100);
    return -Infinity;
  }
  if (value > 0) return (value - value * costShare - offerCost) / value;
  return offerCost === 0 ? 1 - costShare : -Infinity;
}

/** The order's margin after the offer: what an own offer earns this time if it converts. */
export const ownShortTerm = (judged: JudgedBasket, offerCost: number): number =>
  judged.value * (1 - judged.costShare) - offerCost;

/**
 * What one engagement (a click) with a partner offer earns: the payout per click, or per purchase
 * times the share of clicks that buy.
 */
export const partnerShortTerm = (
  entry: IndexedPartner,
  settings: Pick<OfferSettings, 'partnerConversionRate'>,
): number => (entry.perClick ? entry.payout : entry.payout * settings.partnerConversionRate);

export const weightedValue = (weights: ValueWeights, shortTerm: number, longTerm: number): number =>
  weights.shortTerm * shortTerm + weights.longTerm * longTerm;

type Settings = Pick<OfferSettings, 'shippingCost' | 'partnerConversionRate'> & CostModel;

/** An own offer judged on the basket: its cost, the margin it leaves and what it is worth. */
export function ownCandidate(
  entry: IndexedOwn,
  basket: Basket,
  settings: Settings,
  weights: ValueWeights,
): OwnCandidate {
  const { offer } = entry;
  const judged = judgedBasket(offer, basket, settings);
  const cost = ownOfferCost(offer, judged.value, settings);
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
    value: weightedValue(weights, shortTerm, longTerm),
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
  settings: Settings,
  weights: ValueWeights,
  reuse?: PartnerCandidate,
): PartnerCandidate {
  const shortTerm = partnerShortTerm(entry, settings);
  const value = weightedValue(weights, shortTerm, 0);
  if (reuse === undefined)
    return { family: 'partner', entry, match, cost: entry.payout, shortTerm, longTerm: 0, value };
  reuse.entry = entry;
  reuse.match = match;
  reuse.cost = entry.payout;
  reuse.shortTerm = shortTerm;
  reuse.value = value;
  return reuse;
}
