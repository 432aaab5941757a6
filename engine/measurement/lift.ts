import { twoSidedP } from './normal';
import { ratioInterval, wilson, type Interval } from './proportions';
import { welch } from './welch';

/*
 * Lift of one playbook: treatment against its holdout (control), from per-arm sums. Pure: the
 * store aggregates, this judges, the CLI prints. A number that cannot be computed (an empty arm,
 * no conversions to compare against) is `n/a` with the reason, never NaN and never a guess.
 */

/** What the store sums per arm; revenue is per customer, so its square sum gives the variance. */
export interface ArmAggregate {
  customers: number;
  conversions: number;
  revenue: number;
  revenueSquares: number;
}

export type Estimate = { value: number; interval?: Interval } | { na: string };

export interface ArmSummary extends ArmAggregate {
  conversionRate: Estimate;
  revenuePerCustomer: Estimate;
}

export type Verdict = 'significant' | 'not significant' | 'n/a';

export interface LiftStats {
  treatment: ArmSummary;
  control: ArmSummary;
  /** (rate_t − rate_c) × treatment customers, with Newcombe's interval for the difference, scaled. */
  incrementalConversions: Estimate;
  /** rate_t / rate_c − 1. */
  conversionLift: Estimate;
  /** Two-proportion z-test on the conversion rates. */
  pValue: Estimate;
  verdict: Verdict;
  /** Revenue per customer, treatment minus control, with Welch's t interval. */
  revenuePerCustomerLift: Estimate;
  /** That difference relative to control's revenue per customer; a point estimate only. */
  relativeRevenueLift: Estimate;
  /** revenuePerCustomerLift × treatment customers. */
  incrementalRevenue: Estimate;
}

export const ALPHA = 0.05;

export function isValue(estimate: Estimate): estimate is { value: number; interval?: Interval } {
  return 'value' in estimate;
}

function summarize(arm: ArmAggregate): ArmSummary {
  const empty = { na: 'no customers' };
  return {
    ...arm,
    conversionRate:
      arm.customers > 0
        ? { value: arm.conversions / arm.customers, interval: wilson(arm.conversions, arm.customers) }
        : empty,
    revenuePerCustomer: arm.customers > 0 ? { value: arm.revenue / arm.customers } : empty,
  };
}

function pooledZTest(t: ArmAggregate, c: ArmAggregate): Estimate {
  const pooled = (t.conversions + c.conversions) / (t.customers + c.customers);
  if (pooled === 0) return { na: 'no conversions in either arm' };
  if (pooled === 1) return { na: 'every customer converted in both arms' };
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / t.customers + 1 / c.customers));
  return { value: twoSidedP((t.conversions / t.customers - c.conversions / c.customers) / se) };
}

/** Newcombe's hybrid score interval (his method 10) for p_t − p_c: Wilson on each side, combined. */
function differenceInterval(t: ArmAggregate, c: ArmAggregate): Interval & { value: number } {
  const pt = t.conversions / t.customers;
  const pc = c.conversions / c.customers;
  const wt = wilson(t.conversions, t.customers);
  const wc = wilson(c.conversions, c.customers);
  const d = pt - pc;
  return {
    value: d,
    low: d - Math.hypot(pt - wt.low, wc.high - pc),
    high: d + Math.hypot(wt.high - pt, pc - wc.low),
  };
}

/** Revenue that varies in neither arm (typically no orders at all) has no interval to give. */
function revenueDifference(t: ArmAggregate, c: ArmAggregate): Estimate {
  const sums = (arm: ArmAggregate) => ({
    customers: arm.customers,
    sum: arm.revenue,
    squares: arm.revenueSquares,
  });
  const difference = welch(sums(t), sums(c));
  return isValue(difference) && !difference.interval
    ? { na: 'revenue does not vary within either arm' }
    : difference;
}

function scale(estimate: Estimate, by: number): Estimate {
  if (!isValue(estimate)) return estimate;
  const { value, interval } = estimate;
  return interval
    ? { value: value * by, interval: { low: interval.low * by, high: interval.high * by } }
    : { value: value * by };
}

/**
 * "significant" needs both the p-value below 5% and the lift interval clear of zero. The two are
 * different methods and can disagree at the margin; requiring both means the printed verdict never
 * contradicts a printed number. Without a lift interval (no control conversions) the p-value decides.
 */
function verdictOf(pValue: Estimate, lift: Estimate): Verdict {
  if (!isValue(pValue)) return 'n/a';
  const clearOfZero = !isValue(lift) || !lift.interval || lift.interval.low > 0 || lift.interval.high < 0;
  return pValue.value < ALPHA && clearOfZero ? 'significant' : 'not significant';
}

export function liftStats(treatment: ArmAggregate, control: ArmAggregate): LiftStats {
  const t = summarize(treatment);
  const c = summarize(control);
  if (treatment.customers === 0 || control.customers === 0) {
    const na = { na: treatment.customers === 0 ? 'no treatment customers' : 'no control customers' };
    return {
      treatment: t,
      control: c,
      incrementalConversions: na,
      conversionLift: na,
      pValue: na,
      verdict: 'n/a',
      revenuePerCustomerLift: na,
      relativeRevenueLift: na,
      incrementalRevenue: na,
    };
  }
  const difference = differenceInterval(treatment, control);
  let conversionLift: Estimate;
  if (control.conversions === 0) conversionLift = { na: 'no control conversions to compare against' };
  else {
    const ratio = ratioInterval(
      treatment.conversions,
      treatment.customers,
      control.conversions,
      control.customers,
    );
    const value = treatment.conversions / treatment.customers / (control.conversions / control.customers) - 1;
    conversionLift = { value, interval: { low: ratio.low - 1, high: ratio.high - 1 } };
  }
  const pValue = pooledZTest(treatment, control);
  const revenuePerCustomerLift = revenueDifference(treatment, control);
  const controlRpc = control.revenue / control.customers;
  return {
    treatment: t,
    control: c,
    incrementalConversions: scale(
      { value: difference.value, interval: { low: difference.low, high: difference.high } },
      treatment.customers,
    ),
    conversionLift,
    pValue,
    verdict: verdictOf(pValue, conversionLift),
    revenuePerCustomerLift,
    relativeRevenueLift: !isValue(revenuePerCustomerLift)
      ? revenuePerCustomerLift
      : controlRpc > 0
        ? { value: revenuePerCustomerLift.value / controlRpc }
        : { na: 'no control revenue to compare against' },
    incrementalRevenue: scale(revenuePerCustomerLift, treatment.customers),
  };
}
