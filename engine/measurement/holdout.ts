import { murmur3 } from '../ids/hash';

export type Arm = 'treatment' | 'control';

/** Number of buckets: a holdout percentage resolves to 0.01% steps. */
export const BUCKETS = 10_000;

/**
 * How customers are split, as recorded in `holdout_schemes` (store/holdouts.ts). `epoch` numbers
 * the schemes (1, 2, …) so entries made under different ones can be told apart; `salt` is the
 * only input besides the IDs, so a new salt is a reshuffle; `globalControlPercent` of all
 * customers never enter any playbook.
 */
export interface HoldoutScheme {
  epoch: number;
  salt: string;
  globalControlPercent: number;
}

/*
 * The assignment rule. Everything below is a pure function of (IDs, scheme), so the client, every
 * worker, every retry and the simulator agree without sharing state. Changing any of it (the hash,
 * the keys, the bucket count, the rounding) moves customers between arms exactly as a new salt
 * would: it is a reshuffle, and must ship as one (recorded with `journeys holdouts reshuffle`),
 * never as a refactor.
 */

/** The customer's stable bucket, 0..9999, for a salt: it decides the global control group. */
export function holdoutBucket(customerId: string, salt: string): number {
  return murmur3(`${salt}:${customerId}`) % BUCKETS;
}

/**
 * The customer's bucket for one playbook. The playbook ID is part of the hashed key, so the
 * control arms of two playbooks are independent draws: with one shared bucket, a 10% holdout
 * would sit inside every 25% holdout, the same customers would be held out of everything, and
 * the playbooks' lifts would be measured on correlated groups. Independence from the global
 * bucket also makes a playbook's `holdout` a share of the customers outside the global control.
 */
export function playbookBucket(customerId: string, playbookId: string, salt: string): number {
  return murmur3(`${salt}:${playbookId}:${customerId}`) % BUCKETS;
}

/** Buckets below this are in: a share of 0 takes nobody, 1 takes everybody. */
function threshold(share: number): number {
  // Rounded: 0.07 × 10000 is 700.0000000000001, and bucket 700 must stay out, as it was when
  // playbooks gave a percent (7 × 100).
  return Math.round(share * BUCKETS);
}

/** The global control group: excluded before any playbook entry, so it measures the whole program. */
export function inGlobalControl(customerId: string, scheme: HoldoutScheme): boolean {
  return holdoutBucket(customerId, scheme.salt) < threshold(scheme.globalControlPercent / 100);
}

/**
 * A customer's arm in one playbook, for a customer outside the global control: `control` customers
 * enter but receive nothing (each send is recorded as a `holdout` suppression).
 */
export function assignArm(
  customerId: string,
  playbookId: string,
  /** The playbook's `holdout`, a share from 0 to 1. */
  holdout: number,
  scheme: HoldoutScheme,
): Arm {
  // A percent here (10 for 0.1, the form before playbook schemaVersion 2) would hold back everyone:
  // say so instead. Validated definitions never get here with one.
  if (!(holdout >= 0 && holdout <= 1)) throw new RangeError(`holdout ${holdout} is not a share from 0 to 1`);
  return playbookBucket(customerId, playbookId, scheme.salt) < threshold(holdout) ? 'control' : 'treatment';
}
