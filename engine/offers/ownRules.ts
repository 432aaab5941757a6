import type { OwnCandidate, ValueWeights } from './candidate';
import {
  budget,
  expired,
  inactive,
  kind,
  notYetValid,
  perCustomerCap,
  totalCap,
  type Rule,
} from './eligibility';
import { list, money, percent } from './format';
import { DEFAULT_WEIGHTS } from './value';

/*
 * The shop's own offers: who may have them (tier, categories, basket) and the guardrails that keep
 * them profitable (margin floor, caps, budget). With an empty basket an offer is judged on the
 * worst basket that could redeem it (see value.ts), so the floor holds whatever is bought.
 */

// Rounding in the margin arithmetic must not turn a margin exactly at the floor into a rejection.
const EPSILON = 1e-9;

const tier: Rule<OwnCandidate> = {
  name: 'tier',
  passes: (c, x) => {
    const tiers = c.entry.offer.eligibleTiers ?? [];
    return tiers.length === 0 || (x.loyaltyTier !== undefined && tiers.includes(x.loyaltyTier));
  },
  reason: (c, x, passed) => {
    const tiers = c.entry.offer.eligibleTiers ?? [];
    if (tiers.length === 0) return undefined;
    return passed
      ? `loyalty tier ${x.loyaltyTier} is one of ${list(tiers)}`
      : `for ${list(tiers)} customers only, and this one is ${x.loyaltyTier ?? 'in no tier'}`;
  },
};

const category: Rule<OwnCandidate> = {
  name: 'category',
  passes: (c, x) => {
    const categories = c.entry.offer.eligibleCategories ?? [];
    return x.purchased.size === 0 || categories.length === 0 || categories.some((id) => x.purchased.has(id));
  },
  reason: (c, x, passed) => {
    const categories = c.entry.offer.eligibleCategories ?? [];
    if (categories.length === 0) return undefined;
    if (x.purchased.size === 0) return `redeemable only on ${list(categories)}`;
    return passed
      ? `basket has ${list(categories.filter((id) => x.purchased.has(id)))}, which it is for`
      : `only for ${list(categories)}, none of which is in the basket`;
  },
};

/** With an empty basket it stays eligible: the customer has to reach the minimum to redeem it. */
const minBasket: Rule<OwnCandidate> = {
  name: 'min-basket',
  passes: (c, x) => x.basket.value <= 0 || x.basket.value >= c.entry.minBasket,
  reason: (c, x, passed) => {
    const minimum = c.entry.offer.minBasket;
    if (minimum === undefined) return undefined;
    if (x.basket.value <= 0) return `redeemable from a basket of ${minimum}`;
    return `basket ${money(x.basket.value)} ${passed ? '≥' : '<'} minimum ${minimum}`;
  },
};

const marginFloor: Rule<OwnCandidate> = {
  name: 'margin-floor',
  passes: (c) => {
    const floor = c.entry.offer.marginFloorPercent;
    return floor === undefined || c.margin >= floor / 100 - EPSILON;
  },
  reason: (c, _x, passed) => {
    const floor = c.entry.offer.marginFloorPercent;
    if (floor === undefined) return undefined;
    const on = c.judged.worst ? ` on the smallest basket that redeems it (${money(c.judged.value)})` : '';
    if (c.margin === -Infinity)
      return c.judged.worst
        ? `no margin floor ${floor}% holds: it has no minimum basket, so any small order could redeem it`
        : `no margin left: the offer takes the whole basket (floor ${floor}%)`;
    return `margin ${percent(c.margin)} ${passed ? '≥' : '<'} floor ${floor}%${on}`;
  },
};

/** `value 30.00 = order margin 25.00 + long-term 5.00`, with the weights when they are not 1. */
function valueFormula(value: number, shortTerm: number, longTerm: number, weights: ValueWeights): string {
  const weight = (w: number): string => (w === 1 ? '' : `${w} × `);
  const long =
    longTerm === 0 && weights.longTerm === DEFAULT_WEIGHTS.longTerm
      ? ''
      : ` + ${weight(weights.longTerm)}long-term ${money(longTerm)}`;
  return `value ${money(value)} = ${weight(weights.shortTerm)}order margin ${money(shortTerm)}${long}`;
}

const noValue: Rule<OwnCandidate> = {
  name: 'no-value',
  passes: (c) => c.value > 0,
  reason: (c, x, passed) =>
    `${passed ? '' : 'worth nothing: '}${valueFormula(c.value, c.shortTerm, c.longTerm, x.weights)}`,
};

/** In this order: the cheap, common rejections first, so most offers are dropped early. */
export const OWN_RULES: readonly Rule<OwnCandidate>[] = [
  inactive,
  notYetValid,
  expired,
  kind,
  tier,
  category,
  minBasket,
  perCustomerCap,
  totalCap,
  marginFloor,
  budget,
  noValue,
];
