import { fmix32, murmur3 } from '../ids/hash';
import type { Random } from '../random/mulberry32';

/*
 * Seeded randomness for offer decisions. A decision must come out the same when it is replayed or
 * simulated, so every draw comes from the engine's one generator (engine/random/mulberry32.ts)
 * seeded by the decision's key. Beta draws (Thompson sampling) are built from Gamma draws.
 */

/** The seed of a decision: murmur3 of its key, so the same key always draws the same numbers. */
export const seedOf = (key: string): number => murmur3(key);

/**
 * A seed for one offer within one decision: the decision's seed mixed with the offer's (murmur3's
 * finaliser). Each offer draws from its own stream, so whether one offer is eligible never shifts
 * the draws of the others: a catalog change moves only the offers it touches.
 */
export function streamSeed(decisionSeed: number, offerSeed: number): number {
  return fmix32((decisionSeed ^ Math.imul(offerSeed, 0x9e3779b1)) >>> 0);
}

/** A standard normal draw (Marsaglia's polar method). */
export function normal(random: Random): number {
  for (;;) {
    const u = 2 * random() - 1;
    const v = 2 * random() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/**
 * A Gamma(shape, 1) draw by Marsaglia and Tsang's method. For shape < 1 it draws Gamma(shape + 1)
 * and scales by U^(1/shape), the standard boost, since the method itself needs shape ≥ 1.
 */
export function gamma(random: Random, shape: number): number {
  if (shape < 1) return gamma(random, shape + 1) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random(); // (0, 1]: log(u) stays finite
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * A Beta(alpha, beta) draw: X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta). An offer never
 * engaged with has alpha = 1 exactly (the base prior), and most offers in a large catalog are such
 * offers: Beta(1, b) has the closed form 1 − U^(1/b), one uniform instead of two Gamma draws.
 */
export function beta(random: Random, alpha: number, betaShape: number): number {
  if (alpha === 1) return 1 - Math.pow(1 - random(), 1 / betaShape);
  if (betaShape === 1) return Math.pow(1 - random(), 1 / alpha);
  const x = gamma(random, alpha);
  const y = gamma(random, betaShape);
  return x + y > 0 ? x / (x + y) : alpha / (alpha + betaShape);
}
