import type { OfferDecision } from './offer';
import type { Candidate } from './candidate';
import { verdicts, type DecisionContext } from './eligibility';
import { money, percent, round } from './format';
import { OWN_RULES } from './ownRules';
import { PARTNER_RULES } from './partnerRules';
import type { EngagementDraw } from './thompson';

/*
 * The chosen offer as a stored decision: what templates read, its scores, and the reasons in the
 * order a CRM person checks them (eligibility, then learning, then why this one of the eligible).
 */

export interface Selection {
  chosen: Candidate;
  draw: EngagementDraw;
  explored: boolean;
  eligible: number;
  considered: number;
  rejected: Record<string, number>;
  contextKey: string;
}

function ruleReasons(candidate: Candidate, context: DecisionContext): string[] {
  const found =
    candidate.family === 'partner'
      ? verdicts(PARTNER_RULES, candidate, context)
      : verdicts(OWN_RULES, candidate, context);
  return found.flatMap((verdict) => (verdict.reason === undefined ? [] : [verdict.reason]));
}

function engagementReason({ probability, belief, scale }: EngagementDraw, contextKey: string): string {
  const elsewhere = Math.round(belief.shownElsewhere);
  const shown = Math.round(belief.shown);
  const evidence =
    shown > 0
      ? `${shown} showings, ${Math.round(belief.engaged)} engaged, in ${contextKey}${elsewhere > 0 ? ` (and ${elsewhere} elsewhere)` : ''}`
      : `the prior: not shown in ${contextKey} yet${elsewhere > 0 ? `, ${elsewhere} showings elsewhere` : ''}`;
  return `engagement ${percent(probability)} sampled from ${evidence}${scale === 1 ? '' : ` (× ${scale}, weaker match)`}`;
}

/** What the discount takes off: on this basket, or a fixed amount's face value when it is empty. */
function discountAmount(candidate: Candidate): number | undefined {
  if (candidate.family !== 'own') return undefined;
  const { offer } = candidate.entry;
  if (offer.kind !== 'discount') return undefined;
  if (!candidate.judged.worst) return round(candidate.cost, 2);
  if (offer.discountAmount === undefined) return undefined;
  return round(Math.min(offer.discountAmount, offer.maxDiscount ?? Infinity), 2);
}

export function decisionOf(selection: Selection, context: DecisionContext): OfferDecision {
  const { chosen, draw, explored, eligible } = selection;
  const { offer } = chosen.entry;
  const expectedValue = draw.probability * chosen.value;
  const discount = discountAmount(chosen);
  const reasons = [
    ...ruleReasons(chosen, context),
    engagementReason(draw, selection.contextKey),
    `expected value ${money(expectedValue)} = engagement ${percent(draw.probability)} × value ${money(chosen.value)}`,
    explored
      ? `explored: chosen at random among ${eligible} eligible (${Math.round(context.settings.exploration * 100)}% exploration)`
      : `best of ${eligible} eligible by sampled expected value`,
  ];
  return {
    offerId: offer.offerId,
    kind: offer.kind,
    title: offer.title,
    ...(offer.code !== undefined && { code: offer.code }),
    ...(offer.kind === 'discount' &&
      offer.discountPercent !== undefined && { discountPercent: offer.discountPercent }),
    ...(discount !== undefined && { discountAmount: discount }),
    ...(offer.kind === 'partner' && {
      brand: offer.brand,
      category: offer.category,
      payoutModel: offer.payoutModel,
    }),
    contextKey: selection.contextKey,
    scores: {
      engagement: round(draw.probability, 6),
      value: round(chosen.value, 2),
      expectedValue: round(expectedValue, 4),
      explored,
      eligible,
      considered: selection.considered,
    },
    rejected: selection.rejected,
    reasons,
  };
}
