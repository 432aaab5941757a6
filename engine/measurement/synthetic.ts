import { mulberry32 } from '../random/mulberry32';
import type { ArmAggregate } from './lift';

/*
 * A population with a known true effect, to check that the lift statistics tell the truth: the
 * same seed gives the same customers, so a test's numbers are exact and repeatable.
 */

export interface SyntheticOptions {
  seed: number;
  customers: number;
  /** Share of customers in the control arm, e.g. 0.1. */
  controlShare: number;
  controlRate: number;
  treatmentRate: number;
  /** Mean order value of a conversion; orders vary ±50% around it, uniformly. */
  meanOrder?: number;
}

export interface SyntheticCustomer {
  customerId: string;
  arm: 'treatment' | 'control';
  converted: boolean;
  /** The order total when converted, rounded to cents; 0 otherwise. */
  revenue: number;
}

export function syntheticPopulation(options: SyntheticOptions): SyntheticCustomer[] {
  const random = mulberry32(options.seed);
  const meanOrder = options.meanOrder ?? 80;
  const out: SyntheticCustomer[] = [];
  for (let i = 0; i < options.customers; i += 1) {
    const arm = random() < options.controlShare ? 'control' : 'treatment';
    const converted = random() < (arm === 'control' ? options.controlRate : options.treatmentRate);
    const revenue = converted ? Math.round(meanOrder * (0.5 + random()) * 100) / 100 : 0;
    out.push({ customerId: `c-${options.seed}-${i}`, arm, converted, revenue });
  }
  return out;
}

/** Per-arm sums, as the store computes them from entries and events. */
export function aggregateArms(
  customers: readonly SyntheticCustomer[],
): Record<'treatment' | 'control', ArmAggregate> {
  const arms = {
    treatment: { customers: 0, conversions: 0, revenue: 0, revenueSquares: 0 },
    control: { customers: 0, conversions: 0, revenue: 0, revenueSquares: 0 },
  };
  for (const customer of customers) {
    const arm = arms[customer.arm];
    arm.customers += 1;
    arm.conversions += customer.converted ? 1 : 0;
    arm.revenue += customer.revenue;
    arm.revenueSquares += customer.revenue * customer.revenue;
  }
  return arms;
}
