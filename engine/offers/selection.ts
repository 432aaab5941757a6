import type { Candidate } from './candidate';
import type { Random } from '../random/mulberry32';

/*
 * Choosing among the eligible offers as they are screened, without keeping them all: exploiting
 * keeps the best sampled expected value so far, exploring keeps a uniform pick (reservoir
 * sampling). Either way a decision holds one offer, not the hundreds that pass the rules.
 */

export interface Selector {
  /** Called once per eligible offer. The candidate may be reused afterwards: keep a copy. */
  consider(candidate: Candidate): void;
  chosen(): Candidate | undefined;
}

const keep = (candidate: Candidate): Candidate => ({ ...candidate });

/**
 * The highest sampled engagement × value, ties to the smaller offer ID. A probability is at most 1,
 * so an offer worth less than the best expected value so far cannot win and is not even sampled:
 * a few valuable offers set a bar most others cannot reach. The result is the same as sampling
 * every offer, since each offer's draw comes from its own stream.
 */
export function bestExpectedValue(sample: (candidate: Candidate) => number): Selector {
  let best: Candidate | undefined;
  let bestScore = -Infinity;
  return {
    consider(candidate) {
      if (candidate.value < bestScore) return;
      const probability = sample(candidate);
      const score = probability * candidate.value;
      if (
        best === undefined ||
        score > bestScore ||
        (score === bestScore && candidate.entry.offerId < best.entry.offerId)
      ) {
        best = keep(candidate);
        bestScore = score;
      }
    },
    chosen: () => best,
  };
}

/** Each eligible offer equally likely: the n-th replaces the one kept with probability 1/n. */
export function uniformAmong(random: Random): Selector {
  let kept: Candidate | undefined;
  let seen = 0;
  return {
    consider(candidate) {
      seen += 1;
      if (random() * seen < 1) kept = keep(candidate);
    },
    chosen: () => kept,
  };
}
