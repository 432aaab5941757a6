import { Z_975 } from './normal';

/** A 95% interval; `low`/`high` may be infinite only where a method says so. */
export interface Interval {
  low: number;
  high: number;
}

/** The Wilson score interval for x successes out of n (n > 0): never outside [0, 1], fine at x = 0. */
export function wilson(x: number, n: number, z = Z_975): Interval {
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** The root of a decreasing function on [lo, hi], where f(lo) ≥ 0 ≥ f(hi), by bisection. */
function root(f: (r: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i += 1) {
    const mid = (lo + hi) / 2;
    if (f(mid) >= 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * A 95% interval for the ratio p1/p0 of two independent proportions, by MOVER-R (Donner & Zou,
 * 2012) on Wilson intervals. Why this and not the textbook delta method on log(p1/p0) (Katz):
 * Katz needs a conversion in both arms and is too narrow with a handful of them, while MOVER-R
 * inherits Wilson's good coverage at small counts, gives a finite upper limit with zero treatment
 * conversions, and matches Katz on large samples. Needs x0 > 0 (the ratio is undefined otherwise).
 *
 * The limits are the ratios R where MOVER's interval for p1 − R·p0 just touches 0; each side is a
 * decreasing function of R with one root, found by bisection, which avoids the quadratic's sign cases.
 */
export function ratioInterval(x1: number, n1: number, x0: number, n0: number): Interval {
  const p1 = x1 / n1;
  const p0 = x0 / n0;
  const w1 = wilson(x1, n1);
  const w0 = wilson(x0, n0);
  const estimate = p1 / p0;
  const lowerEdge = (r: number) => p1 - r * p0 - Math.hypot(p1 - w1.low, r * (w0.high - p0));
  const upperEdge = (r: number) => p1 - r * p0 + Math.hypot(w1.high - p1, r * (p0 - w0.low));
  let hi = Math.max(1, estimate) * 2;
  while (upperEdge(hi) > 0 && hi < 1e12) hi *= 2;
  return { low: root(lowerEdge, 0, estimate), high: root(upperEdge, estimate, hi) };
}
