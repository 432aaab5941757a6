import type { Candidate } from './eligibility';
import { engagementBelief, engagementKey, type EngagementBelief, type EngagementCounts } from './learning';
import { SAME_CATEGORY_ENGAGEMENT } from './partnerMatch';
import { beta, mulberry32, streamSeed } from './sampling';

/*
 * Thompson sampling: each eligible offer's engagement probability is drawn from what is believed
 * about it, so an offer with little evidence is sometimes drawn high and gets shown (and learned
 * about), while a proven one wins most of the time.
 */

export interface EngagementDraw {
  /** The sampled probability, after any weak-match scaling. */
  probability: number;
  belief: EngagementBelief;
  /** The factor applied for a weaker match (1 when none). */
  scale: number;
}

/** One candidate's draw, from its own stream of the decision's seed (see sampling.ts). */
export function drawEngagement(
  engagement: ReadonlyMap<string, EngagementCounts>,
  candidate: Candidate,
  contextKey: string,
  decisionSeed: number,
): EngagementDraw {
  const { entry } = candidate;
  const belief = engagementBelief(
    engagement,
    engagement.get(engagementKey(entry.offer.offerId, contextKey)),
    entry.allContextsKey,
  );
  const random = mulberry32(streamSeed(decisionSeed, entry.seed));
  const scale =
    candidate.family === 'partner' && candidate.match.strength === 'same' ? SAME_CATEGORY_ENGAGEMENT : 1;
  return { probability: beta(random, belief.alpha, belief.beta) * scale, belief, scale };
}
