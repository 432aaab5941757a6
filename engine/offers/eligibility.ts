import type { OfferKind } from '../../schemas/offers/schema';
import type { OfferSettings } from '../../schemas/policy/schema';
import type { Basket } from './basket';
import type { Candidate, ValueWeights } from './candidate';
import { day, money } from './format';
import type { OfferUsage } from './model';

/*
 * The rules and guardrails an offer must pass to be eligible. Each rule answers pass or fail and
 * says why in words a CRM person understands. Deciding only asks `passes` (it runs for thousands
 * of offers); the words are written for the chosen offer, or for anyone asking why not.
 * The rules common to every kind live here; own and partner rules in their own files.
 */

/** One decision's inputs, as the rules read them. */
export interface DecisionContext {
  at: number;
  kinds: readonly OfferKind[] | undefined;
  loyaltyTier: string | undefined;
  basket: Basket;
  /** basket.categories as a set. */
  purchased: ReadonlySet<string>;
  /**
   * The request's customerGrants as a Map: looking up a record by an offer ID that is not an
   * interned string costs ~100 ns, a Map lookup a tenth of that, and it runs for every offer.
   */
  grants: ReadonlyMap<string, number>;
  usage: ReadonlyMap<string, OfferUsage>;
  settings: OfferSettings;
  weights: ValueWeights;
}

export type RuleName =
  | 'inactive'
  | 'not-yet-valid'
  | 'expired'
  | 'kind'
  | 'tier'
  | 'category'
  | 'never-next-to'
  | 'price-point'
  | 'min-basket'
  | 'per-customer-cap'
  | 'total-cap'
  | 'margin-floor'
  | 'budget'
  | 'no-value';

export interface Rule<C extends Candidate> {
  name: RuleName;
  passes(candidate: C, context: DecisionContext): boolean;
  /** Why it passed or failed; undefined when the offer sets no such restriction. */
  reason(candidate: C, context: DecisionContext, passed: boolean): string | undefined;
}

export interface Verdict {
  rule: RuleName;
  pass: boolean;
  reason?: string;
}

export function judge<C extends Candidate>(rule: Rule<C>, candidate: C, context: DecisionContext): Verdict {
  const pass = rule.passes(candidate, context);
  const reason = rule.reason(candidate, context, pass);
  return { rule: rule.name, pass, ...(reason !== undefined && { reason }) };
}

/** The first rule the offer fails, in the rules' order (cheap and common first); none if eligible. */
export function firstFailure<C extends Candidate>(
  rules: readonly Rule<C>[],
  candidate: C,
  context: DecisionContext,
): RuleName | undefined {
  for (const rule of rules) if (!rule.passes(candidate, context)) return rule.name;
  return undefined;
}

/** Every rule's verdict, for the chosen offer's reasons or a "why not this one" question. */
export const verdicts = <C extends Candidate>(
  rules: readonly Rule<C>[],
  candidate: C,
  context: DecisionContext,
): Verdict[] => rules.map((rule) => judge(rule, candidate, context));

const grantsOf = (candidate: Candidate, context: DecisionContext): number =>
  context.grants.get(candidate.entry.offerId) ?? 0;
const UNUSED: OfferUsage = { redemptions: 0, spent: 0 };
const usageOf = (candidate: Candidate, context: DecisionContext): OfferUsage =>
  context.usage.get(candidate.entry.offerId) ?? UNUSED;
const used = (candidate: Candidate): string => (candidate.entry.kind === 'partner' ? 'paid' : 'redeemed');

// Passing, `inactive` and `not-yet-valid` say nothing: `expired` says it for all three, in the one
// line a CRM person checks ("active and valid until 2026-12-31").
export const inactive: Rule<Candidate> = {
  name: 'inactive',
  passes: (c) => c.entry.active,
  reason: (_c, _x, passed) => (passed ? undefined : 'inactive'),
};

export const notYetValid: Rule<Candidate> = {
  name: 'not-yet-valid',
  passes: (c, x) => c.entry.from <= x.at,
  reason: (c, _x, passed) => (passed ? undefined : `not valid before ${day(c.entry.from)}`),
};

export const expired: Rule<Candidate> = {
  name: 'expired',
  passes: (c, x) => x.at < c.entry.to,
  reason: (c, _x, passed) =>
    !passed
      ? `expired on ${day(c.entry.to)}`
      : c.entry.to === Infinity
        ? 'active, with no end date'
        : `active and valid until ${day(c.entry.to)}`,
};

export const kind: Rule<Candidate> = {
  name: 'kind',
  passes: (c, x) => x.kinds === undefined || x.kinds.includes(c.entry.kind),
  reason: (c, x, passed) =>
    passed ? undefined : `a ${c.entry.offer.kind} offer, but the step asks for ${(x.kinds ?? []).join(', ')}`,
};

export const perCustomerCap: Rule<Candidate> = {
  name: 'per-customer-cap',
  passes: (c, x) => c.entry.perCustomerCap === Infinity || grantsOf(c, x) < c.entry.perCustomerCap,
  reason: (c, x) =>
    c.entry.offer.perCustomerCap === undefined
      ? undefined
      : `granted to this customer ${grantsOf(c, x)} of ${c.entry.offer.perCustomerCap} times`,
};

export const totalCap: Rule<Candidate> = {
  name: 'total-cap',
  passes: (c, x) => c.entry.totalCap === Infinity || usageOf(c, x).redemptions < c.entry.totalCap,
  reason: (c, x) =>
    c.entry.offer.totalCap === undefined
      ? undefined
      : `${used(c)} ${usageOf(c, x).redemptions} of ${c.entry.offer.totalCap} times in all`,
};

/**
 * The budget must hold this decision's cost on top of what is spent; a spent budget is spent even
 * for an offer that would cost nothing on this basket.
 */
export const budget: Rule<Candidate> = {
  name: 'budget',
  passes: (c, x) => {
    const limit = c.entry.budget;
    if (limit === Infinity) return true;
    const { spent } = usageOf(c, x);
    return spent < limit && spent + c.cost <= limit;
  },
  reason: (c, x, passed) => {
    const limit = c.entry.offer.budget;
    if (limit === undefined) return undefined;
    const { spent } = usageOf(c, x);
    if (!passed && spent >= limit) return `budget ${money(limit)} already spent`;
    return `budget: ${money(spent)} spent + ${money(c.cost)} ${passed ? '≤' : '>'} ${money(limit)}`;
  },
};
