import type { OfferDecision } from './offer';
import type { Basket } from './basket';
import type { Candidate, PartnerCandidate } from './candidate';
import { firstFailure, type DecisionContext, type RuleName } from './eligibility';
import { decisionOf } from './explain';
import { engagementByOffer } from './learning';
import type { OfferModel, OfferRequest } from './model';
import { OWN_RULES } from './ownRules';
import { partnerCategories } from './partnerMatch';
import { PARTNER_RULES } from './partnerRules';
import { mulberry32 } from '../random/mulberry32';
import { seedOf } from './sampling';
import { bestExpectedValue, uniformAmong, type Selector } from './selection';
import { drawEngagement, drawSource, sampleEngagement } from './thompson';
import { DEFAULT_WEIGHTS, ownCandidate, partnerCandidate } from './value';

/*
 * The offer decision: of the offers that pass every rule, the one with the highest sampled
 * expected value (engagement × value), or, a settings.exploration share of the time, one chosen at
 * random among them so every offer keeps being learned about. Pure and deterministic for a given
 * model and request: the decideOffer activity and the offline simulator both call it, and the
 * same decision key always gives the same decision.
 */

export type { OfferModel, OfferRequest, OfferUsage } from './model';

/** The context engagement is learned in: the basket's primary (most spent) category, or `none`. */
export const contextKeyOf = (basket: Basket): string => basket.categories[0] ?? 'none';

interface Screening {
  eligible: number;
  considered: number;
  rejected: Record<string, number>;
}

/**
 * Runs the rules over every own offer and over the partner offers of the categories that fit the
 * purchase (the others cannot fit, so they are not even looked at, nor counted as considered), and
 * hands each eligible one to the selector.
 */
function screen(model: OfferModel, context: DecisionContext, selector: Selector): Screening {
  // tsx compiles imports to CommonJS getters that cost ~8 ns a read, where a local costs nothing:
  // the loops below run for thousands of offers, so they read each import once, here.
  const ownRules = OWN_RULES;
  const partnerRules = PARTNER_RULES;
  const failing = firstFailure;
  const toPartner = partnerCandidate;
  const rejected: Record<string, number> = {};
  let considered = 0;
  let eligible = 0;
  const judge = (candidate: Candidate, failed: RuleName | undefined): void => {
    considered += 1;
    if (failed !== undefined) rejected[failed] = (rejected[failed] ?? 0) + 1;
    else {
      eligible += 1;
      selector.consider(candidate);
    }
  };
  for (const entry of model.index.own) {
    const candidate = ownCandidate(entry, context.basket, context.settings, context.weights);
    judge(candidate, failing(ownRules, candidate, context));
  }
  const partnersWanted = context.kinds === undefined || context.kinds.includes('partner');
  if (partnersWanted && context.basket.categories.length > 0) {
    let scratch: PartnerCandidate | undefined;
    for (const match of partnerCategories(context.basket.categories, context.settings.adjacency)) {
      for (const entry of model.index.partnersByCategory.get(match.category) ?? []) {
        scratch = toPartner(entry, match, context.settings, context.weights, scratch);
        judge(scratch, failing(partnerRules, scratch, context));
      }
    }
  }
  return { eligible, considered, rejected };
}

export function decideOffer(model: OfferModel, request: OfferRequest): OfferDecision | null {
  const context: DecisionContext = {
    at: request.at,
    kinds: request.kinds,
    loyaltyTier: request.loyaltyTier,
    basket: request.basket,
    purchased: new Set(request.basket.categories),
    grants: new Map(Object.entries(request.customerGrants)),
    usage: model.usage,
    settings: model.settings,
    weights: request.value ?? DEFAULT_WEIGHTS,
  };
  const contextKey = contextKeyOf(request.basket);
  const seed = seedOf(request.decisionKey);
  const source = drawSource(engagementByOffer(model.engagement), contextKey, seed);
  // The decision's own stream decides whether to explore and whom; each offer's engagement comes
  // from its own stream (thompson.ts), so exploring or not never changes an offer's draw.
  const random = mulberry32(seed);
  const explored = random() < model.settings.exploration;
  const selector = explored
    ? uniformAmong(random)
    : bestExpectedValue((candidate) => sampleEngagement(source, candidate));

  const { eligible, considered, rejected } = screen(model, context, selector);
  const chosen = selector.chosen();
  if (chosen === undefined) return null;
  // Drawn again with its evidence for the reasons (and, when explored, for the scores): the
  // offer's own stream gives the same probability it was ranked by.
  const draw = drawEngagement(source, chosen);
  return decisionOf({ chosen, draw, explored, eligible, considered, rejected, contextKey }, context);
}
