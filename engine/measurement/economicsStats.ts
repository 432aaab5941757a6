import type { ArmAggregate, Estimate } from './lift';
import type { ArmEconomics } from './orderEconomics';
import { welch } from './welch';

/*
 * Whether the offers paid for themselves: per arm, the discounts given, the margin left after them
 * and partner revenue, and margin per customer compared across the arms. Pure, like liftStats.
 * An arm without orders has 0 of each; only a per-customer figure without customers, or a share
 * of no revenue, is n/a.
 */

type Arms<T> = { treatment: T; control: T };

export interface EconomicsStats {
  discountCost: Arms<{ total: number; perCustomer: Estimate }>;
  marginAfterDiscount: Arms<{ total: number; perCustomer: Estimate; shareOfRevenue: Estimate }> & {
    /** Margin per customer, treatment minus control, with Welch's t interval. */
    incrementalPerCustomer: Estimate;
  };
  /** The retailer's media revenue from partner brands: apart from sales revenue, never added to it. */
  partnerRevenue: Arms<number> & { total: number };
}

/** Figures that cannot be had at all for a playbook, such as one without a success window. */
export type EconomicsReport = EconomicsStats | { [K in keyof EconomicsStats]: { na: string } };

export function economicsNa(reason: string): EconomicsReport {
  const na = { na: reason };
  return { discountCost: na, marginAfterDiscount: na, partnerRevenue: na };
}

export function isComputed(report: EconomicsReport): report is EconomicsStats {
  return !('na' in report.discountCost);
}

type Arm = ArmAggregate & ArmEconomics;

const perCustomer = (arm: Arm, total: number): Estimate =>
  arm.customers > 0 ? { value: total / arm.customers } : { na: 'no customers' };

export function economicsStats(treatment: Arm, control: Arm): EconomicsStats {
  const margin = (arm: Arm) => ({
    total: arm.margin,
    perCustomer: perCustomer(arm, arm.margin),
    shareOfRevenue: arm.revenue > 0 ? { value: arm.margin / arm.revenue } : { na: 'no revenue' },
  });
  const discount = (arm: Arm) => ({ total: arm.discount, perCustomer: perCustomer(arm, arm.discount) });
  const sums = (arm: Arm) => ({ customers: arm.customers, sum: arm.margin, squares: arm.marginSquares });
  return {
    discountCost: { treatment: discount(treatment), control: discount(control) },
    marginAfterDiscount: {
      treatment: margin(treatment),
      control: margin(control),
      // Without variance in either arm (no orders at all, say) the difference is exact: no interval.
      incrementalPerCustomer: welch(sums(treatment), sums(control)),
    },
    partnerRevenue: {
      treatment: treatment.partnerRevenue,
      control: control.partnerRevenue,
      total: treatment.partnerRevenue + control.partnerRevenue,
    },
  };
}
