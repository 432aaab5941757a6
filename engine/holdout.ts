import { murmur3 } from './hash';

export type Arm = 'treatment' | 'control';

/** Number of buckets: a holdout percentage resolves to 0.01% steps. */
export const BUCKETS = 10_000;

/**
 * The customer's stable bucket, 0..9999, for a salt. The salt is the only thing that reshuffles
 * customers, so changing it must be an explicit, recorded decision.
 */
export function holdoutBucket(customerId: string, salt: string): number {
  return murmur3(`${salt}:${customerId}`) % BUCKETS;
}

/** Customers whose bucket falls below the holdout share are the control arm: they receive nothing. */
export function assignArm(customerId: string, salt: string, holdoutPercent: number): Arm {
  return holdoutBucket(customerId, salt) < Math.round(holdoutPercent * (BUCKETS / 100))
    ? 'control'
    : 'treatment';
}
