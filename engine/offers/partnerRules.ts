import type { PartnerCandidate } from './candidate';
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
import { SAME_CATEGORY_ENGAGEMENT } from './partnerMatch';

/*
 * Partner (retail-media) offers: shown next to a purchase in a category that goes with it, never
 * next to a category the brand excludes (typically its own and its substitutes, where the buyer just
 * chose a rival), and only to baskets at its price point. Only partner offers in categories that
 * fit the purchase are ever looked at (partnerMatch.ts), so they have a transaction by construction.
 */

/** Acceptance rule: an excluded category in the basket rules the offer out, whatever it scores. */
const neverNextTo: Rule<PartnerCandidate> = {
  name: 'never-next-to',
  passes: (c, x) => {
    for (const id of c.entry.neverNextTo) if (x.purchased.has(id)) return false;
    return true;
  },
  reason: (c, x, passed) => {
    const excluded = c.entry.offer.neverNextTo;
    if (excluded.length === 0) return undefined;
    return passed
      ? `not next to its excluded categories (${list(excluded)})`
      : `never next to ${list(excluded.filter((id) => x.purchased.has(id)))}, which is in the basket`;
  },
};

const category: Rule<PartnerCandidate> = {
  name: 'category',
  passes: (c) => c.match.category === c.entry.offer.category,
  reason: (c, _x, passed) => {
    const { match } = c;
    if (!passed) return `partner category ${c.entry.offer.category} does not go with the basket`;
    return match.strength === 'adjacent'
      ? `partner category ${match.category} is adjacent to ${match.purchased}`
      : `partner category ${match.category} is the purchase's own, a weaker match (engagement × ${SAME_CATEGORY_ENGAGEMENT})`;
  },
};

const pricePoint: Rule<PartnerCandidate> = {
  name: 'price-point',
  passes: (c, x) =>
    c.entry.priceMin <= x.basket.averageUnitPrice && x.basket.averageUnitPrice <= c.entry.priceMax,
  reason: (c, x, passed) => {
    const range = c.entry.offer.pricePoint;
    if (range === undefined) return undefined;
    const bounds = [
      range.min === undefined ? '' : `from ${range.min}`,
      range.max === undefined ? '' : `to ${range.max}`,
    ];
    return `unit price ${money(x.basket.averageUnitPrice)} ${passed ? 'fits' : 'is outside'} its price point ${bounds.filter((b) => b !== '').join(' ')}`;
  },
};

const minBasket: Rule<PartnerCandidate> = {
  name: 'min-basket',
  passes: (c, x) => x.basket.value >= c.entry.minBasket,
  reason: (c, x, passed) =>
    c.entry.offer.minBasket === undefined
      ? undefined
      : `basket ${money(x.basket.value)} ${passed ? '≥' : '<'} minimum ${c.entry.offer.minBasket}`,
};

const noValue: Rule<PartnerCandidate> = {
  name: 'no-value',
  passes: (c) => c.value > 0,
  reason: (c, x, passed) => {
    const offer = c.entry.offer;
    const paid =
      offer.payoutModel === 'cpc'
        ? `paid ${money(offer.payout)} per click`
        : `paid ${money(offer.payout)} per purchase × ${percent(x.settings.partnerConversionRate)} of clicks buying`;
    const weight = x.weights.shortTerm === 1 ? '' : ` × weight ${x.weights.shortTerm}`;
    return `${passed ? '' : 'worth nothing: '}value ${money(c.value)}: ${paid}${weight}`;
  },
};

/** In this order: the cheap, common rejections first, so most offers are dropped early. */
export const PARTNER_RULES: readonly Rule<PartnerCandidate>[] = [
  inactive,
  notYetValid,
  expired,
  kind,
  neverNextTo,
  category,
  pricePoint,
  minBasket,
  perCustomerCap,
  totalCap,
  budget,
  noValue,
];
