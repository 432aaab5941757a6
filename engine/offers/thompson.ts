import type { Candidate } from './candidate';
import { engagementBelief, type EngagementBelief, type OfferEngagement } from './learning';
import { SAME_CATEGORY_ENGAGEMENT } from './partnerMatch';
import { mulberry32, stream, type Stream } from '../random/mulberry32';
import { beta, streamSeed } from './sampling';

/*
 * Thompson sampling: each eligible offer's engagement probability is drawn from what is believed
 * about it, so an offer with little evidence is sometimes drawn high and gets shown (and learned
 * about), while a proven one wins most of the time. Each offer draws from its own stream of the
 * decision's seed (sampling.ts), so the same offer in the same decision always draws the same.
 */

export interface EngagementDraw {
  /** The sampled probability, after any weak-match scaling. */
  probability: number;
  belief: Readonly<EngagementBelief>;
  /** The factor applied for a weaker match (1 when none). */
  scale: number;
}

/**
 * Where one decision's draws come from: the learned counts by offer, the context and the seed.
 * It holds one generator and one belief that each draw overwrites, so ranking hundreds of offers
 * allocates nothing: use it within one decision, one draw at a time.
 */
export interface DrawSource {
  byOffer: ReadonlyMap<string, OfferEngagement>;
  contextKey: string;
  seed: number;
  stream: Stream;
  belief: EngagementBelief;
}

export const drawSource = (
  byOffer: ReadonlyMap<string, OfferEngagement>,
  contextKey: string,
  seed: number,
): DrawSource => ({
  byOffer,
  contextKey,
  seed,
  stream: stream(0),
  belief: { alpha: 1, beta: 1, shown: 0, engaged: 0, shownElsewhere: 0 },
});

const scaleOf = (candidate: Candidate): number =>
  candidate.family === 'partner' && candidate.match.strength === 'same' ? SAME_CATEGORY_ENGAGEMENT : 1;

/** One candidate's sampled engagement probability: what ranking the eligible offers needs. */
export function sampleEngagement(source: DrawSource, candidate: Candidate): number {
  const { entry } = candidate;
  const belief = engagementBelief(source.byOffer.get(entry.offerId), source.contextKey, source.belief);
  source.stream.reseed(streamSeed(source.seed, entry.seed));
  return beta(source.stream.random, belief.alpha, belief.beta) * scaleOf(candidate);
}

/** The same draw as sampleEngagement, with the belief it came from, for the chosen offer's reasons. */
export function drawEngagement(source: DrawSource, candidate: Candidate): EngagementDraw {
  const { entry } = candidate;
  const belief = engagementBelief(source.byOffer.get(entry.offerId), source.contextKey);
  const random = mulberry32(streamSeed(source.seed, entry.seed));
  const scale = scaleOf(candidate);
  return { probability: beta(random, belief.alpha, belief.beta) * scale, belief, scale };
}
