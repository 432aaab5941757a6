import { CONSUMPTION_CYCLE_DAYS } from './consumptionCycles.data';

/*
 * How often a customer buys: the pure estimates behind the computed triggers (replenishment due,
 * lapse). Times are epoch milliseconds, intervals days. Used alike by the client, which arms the
 * durable timers, and the simulator, which arms them on its virtual clock.
 */

export const DAY_MS = 86_400_000;

/** The customer's latest orders a cadence is measured on: enough for years of weekly buying. */
export const MAX_ORDER_HISTORY = 100;
/** Purchases closer than this are one shopping occasion (a split order), not a reorder. */
export const MIN_INTERVAL_DAYS = 1;
/** The product's median needs this many buyers' own intervals before it is trusted over the category. */
export const MIN_POPULATION_SAMPLES = 3;
/** Buyers' intervals the product median is taken over: the most recent ones, so it follows change. */
export const POPULATION_SAMPLE_SIZE = 50;
/** The reminder comes this share of the interval before the run-out… */
export const REMINDER_LEAD_SHARE = 0.15;
/** …but at least this many days before it (delivery takes time)… */
export const REMINDER_MIN_LEAD_DAYS = 2;
/** …and never earlier than halfway through the interval, so it never lands before the purchase. */
export const REMINDER_MAX_LEAD_SHARE = 0.5;
/** A customer has lapsed after k × their median time between orders (2.5: well past a late order)… */
export const LAPSE_CADENCE_MULTIPLE = 2.5;
/** …and never before this many days, so a weekly buyer's two quiet weeks are not a lapse… */
export const LAPSE_FLOOR_DAYS = 45;
/** …nor later than this: a once-a-year buyer is still worth winning back within the year. */
export const LAPSE_CEILING_DAYS = 365;

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Days between consecutive purchase times, dropping gaps under MIN_INTERVAL_DAYS. */
export function intervalsDays(times: readonly number[]): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  const gaps: number[] = [];
  let previous: number | undefined;
  for (const at of sorted) {
    if (previous !== undefined) {
      const days = (at - previous) / DAY_MS;
      if (days < MIN_INTERVAL_DAYS) continue; // same occasion: keep measuring from the first
      gaps.push(days);
    }
    previous = at;
  }
  return gaps;
}

/** The customer's own reorder interval from the times they bought one product; needs two purchases. */
export function ownIntervalDays(purchaseTimes: readonly number[]): number | undefined {
  return median(intervalsDays(purchaseTimes));
}

export type IntervalBasis = 'customer' | 'product' | 'category';

export interface IntervalEstimate {
  days: number;
  basis: IntervalBasis;
}

/**
 * The customer's reorder interval for a product: their own median interval when they have bought
 * it twice, else the median of the product's other buyers' own intervals, else the category's
 * consumption cycle, else none (the product is not known to be bought again).
 */
export function reorderInterval(
  purchaseTimes: readonly number[],
  populationDays: readonly number[],
  category: string | undefined,
): IntervalEstimate | undefined {
  const own = ownIntervalDays(purchaseTimes);
  if (own !== undefined) return { days: own, basis: 'customer' };
  const product = populationDays.length >= MIN_POPULATION_SAMPLES ? median(populationDays) : undefined;
  if (product !== undefined) return { days: product, basis: 'product' };
  const cycle = category === undefined ? undefined : CONSUMPTION_CYCLE_DAYS[category];
  return cycle === undefined ? undefined : { days: cycle, basis: 'category' };
}

/** How many days before the run-out to remind: 15%, at least 2 days, at most half the interval. */
export function reminderLeadDays(intervalDays: number): number {
  return Math.min(
    Math.max(intervalDays * REMINDER_LEAD_SHARE, REMINDER_MIN_LEAD_DAYS),
    intervalDays * REMINDER_MAX_LEAD_SHARE,
  );
}

export interface ReplenishmentTiming {
  runOutAt: number;
  remindAt: number;
}

export function replenishmentTiming(lastPurchaseAt: number, intervalDays: number): ReplenishmentTiming {
  const runOutAt = lastPurchaseAt + Math.round(intervalDays * DAY_MS);
  return { runOutAt, remindAt: runOutAt - Math.round(reminderLeadDays(intervalDays) * DAY_MS) };
}

export interface LapseThreshold {
  lapseDays: number;
  cadenceDays?: number;
  basis: 'customer' | 'floor';
}

/** After how many days without an order this customer has lapsed, from the times of their orders. */
export function lapseThreshold(orderTimes: readonly number[]): LapseThreshold {
  const cadence = median(intervalsDays(orderTimes));
  const own = cadence === undefined ? undefined : cadence * LAPSE_CADENCE_MULTIPLE;
  const cadencePart = cadence === undefined ? {} : { cadenceDays: cadence };
  if (own === undefined || own <= LAPSE_FLOOR_DAYS)
    return { lapseDays: LAPSE_FLOOR_DAYS, ...cadencePart, basis: 'floor' };
  return { lapseDays: Math.min(own, LAPSE_CEILING_DAYS), ...cadencePart, basis: 'customer' };
}
