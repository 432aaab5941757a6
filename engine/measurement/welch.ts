import { t975 } from './normal';
import type { Interval } from './proportions';

/*
 * The difference of two means per customer (treatment − control) with Welch's t interval, from
 * per-arm sums: revenue per customer and margin per customer are judged the same way.
 */

/** Per arm: how many customers, the sum of their values and the sum of their squares. */
export interface Sums {
  customers: number;
  sum: number;
  squares: number;
}

function variance(arm: Sums): number {
  const mean = arm.sum / arm.customers;
  // Sums of squares lose a little to rounding; a variance is never below zero.
  return Math.max(0, (arm.squares - arm.customers * mean * mean) / (arm.customers - 1));
}

/**
 * No interval when the values vary within neither arm: every customer's value is known exactly,
 * so there is nothing to sample. The caller decides what that means for its number.
 */
export function welch(t: Sums, c: Sums): { value: number; interval?: Interval } | { na: string } {
  if (t.customers < 2 || c.customers < 2) return { na: 'needs at least two customers in each arm' };
  const diff = t.sum / t.customers - c.sum / c.customers;
  const qt = variance(t) / t.customers;
  const qc = variance(c) / c.customers;
  const se = Math.sqrt(qt + qc);
  if (se === 0) return { value: diff };
  const df = (qt + qc) ** 2 / (qt ** 2 / (t.customers - 1) + qc ** 2 / (c.customers - 1));
  const half = t975(df) * se;
  return { value: diff, interval: { low: diff - half, high: diff + half } };
}
