/*
 * The few distribution functions the lift statistics need, in closed form so `engine/measurement/` has no
 * dependency. Accuracy (about 1e-7) is far finer than any p-value or interval we print.
 */

/** The 97.5th percentile of the standard normal: the half-width of a two-sided 95% interval. */
export const Z_975 = 1.959963984540054;

/** erfc by the Chebyshev fit from Numerical Recipes (relative error below 1.2e-7 everywhere). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(|Z| ≥ |z|) for a standard normal Z: the two-sided p-value of a z statistic. */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/**
 * The 97.5th percentile of Student's t with `df` degrees of freedom (Welch's df is fractional).
 * Exact values at 1, 2 and 3 (interpolated between), where the expansion is poor; above, the Cornish–Fisher series in 1/df,
 * within 1e-3 at df = 3 and far closer beyond.
 */
export function t975(df: number): number {
  // Welch's df is at least 1 when each arm has two customers, which the caller requires.
  if (!(df >= 1)) return Number.NaN;
  if (df < 2) return 12.706204736174698 + (4.302652729749464 - 12.706204736174698) * (df - 1);
  if (df < 3) return 4.302652729749464 + (3.182446305284263 - 4.302652729749464) * (df - 2);
  const z = Z_975;
  const z2 = z * z;
  const g1 = (z2 * z + z) / 4;
  const g2 = (5 * z2 * z2 * z + 16 * z2 * z + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}
