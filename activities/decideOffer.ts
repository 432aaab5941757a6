import type { Collection } from 'mongodb';
import { scoringRequest, type DecideOfferInput } from '../engine/interpreter/offerRequest';
import type { OfferDecision } from '../engine/offers/offer';
import { decideOffer as scoreOffers } from '../engine/offers/decide';
import type { OfferGrantRecord, OfferGrantTallyRecord } from '../store/collections';
import { grantsOf, recordGrant, tallyGrant } from '../store/offerGrants';
import type { OfferModelCache } from './offerModelCache';

export type { DecideOfferInput } from '../engine/interpreter/offerRequest';

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
    const grants = await grantsOf(deps.tallies, input.customerId);
    const decision = scoreOffers(model, scoringRequest(input, model.settings, grants));
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
