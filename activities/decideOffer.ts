import type { Collection } from 'mongodb';
import type { Arm } from '../engine/measurement/holdout';
import type { OfferDecision } from '../engine/offers/offer';
import { triggerBasket } from '../engine/offers/basket';
import { decideOffer as scoreOffers } from '../engine/offers/decide';
import type { JourneyEvent } from '../schemas/events/schema';
import type { OfferKind } from '../schemas/offers/schema';
import type { OfferGrantRecord, OfferGrantTallyRecord } from '../store/collections';
import { grantsOf, recordGrant, tallyGrant } from '../store/offerGrants';
import type { OfferModelCache } from './offerModelCache';

export interface DecideOfferInput {
  /** The decision's own key (`<runKey>:<step>[#visit]`): seeds exploration and names the grant. */
  decisionKey: string;
  customerId: string;
  playbookId: string;
  journeyId: string;
  arm: Arm;
  trigger: JourneyEvent;
  kinds?: OfferKind[];
  loyaltyTier?: string;
  /** How the step weighs short-term revenue against long-term value. */
  value?: { shortTerm: number; longTerm: number };
  /** The run's time of decision (epoch ms): validity dates are judged then. */
  at: number;
}

/**
 * Chooses the offer for one decideOffer step and stores it, with its reasons and scores, under the
 * decision's key. Asked again for the same key (a retry, a replayed run) it returns the stored
 * decision rather than scoring again: exploration and fresh evidence would otherwise change it.
 * Control customers get a decision too, recorded as what they would have been offered.
 */
export function createDecideOffer(deps: {
  cache: OfferModelCache;
  grants: Collection<OfferGrantRecord>;
  tallies: Collection<OfferGrantTallyRecord>;
  now: () => Date;
}) {
  return async function decideOffer(input: DecideOfferInput): Promise<OfferDecision | null> {
    const earlier = await deps.grants.findOne({ _id: input.decisionKey });
    if (earlier !== null) {
      await tallyGrant(deps.tallies, earlier);
      return earlier.decision;
    }
    const model = await deps.cache.model();
    const basket = triggerBasket(input.trigger, model.settings);
    const decision = scoreOffers(model, {
      decisionKey: input.decisionKey,
      customerId: input.customerId,
      at: input.at,
      basket,
      customerGrants: await grantsOf(deps.tallies, input.customerId),
      ...(input.kinds !== undefined && { kinds: input.kinds }),
      ...(input.loyaltyTier !== undefined && { loyaltyTier: input.loyaltyTier }),
      ...(input.value !== undefined && { value: input.value }),
    });
    if (decision === null) return null;
    const stored = await recordGrant(deps.grants, {
      _id: input.decisionKey,
      customerId: input.customerId,
      playbookId: input.playbookId,
      journeyId: input.journeyId,
      arm: input.arm,
      offerId: decision.offerId,
      kind: decision.kind,
      contextKey: decision.contextKey,
      decision,
      decidedAt: new Date(input.at),
    });
    await tallyGrant(deps.tallies, stored);
    return stored.decision;
  };
}
