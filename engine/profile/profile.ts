import type { Consents } from '../../schemas/events/schema';

/**
 * What the engine knows about a customer, built from `customer.upserted` (and `consent.updated`,
 * `loyalty.tier_changed`, `order.placed`) events and `update` steps. Plain data: the workflow and the simulator
 * both read it.
 */
export interface Profile {
  customerId: string;
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  timezone?: string;
  country?: string;
  loyaltyTier?: string;
  consents?: Consents;
  attributes?: Record<string, string | number | boolean>;
  tags?: string[];
  /** When the customer last ordered, any channel (UTC ISO): a send's recheck asks "ordered since?". */
  lastOrderAt?: string;
  /**
   * The customer's first order, any channel: the oldest order.placed seen (UTC ISO, its orderId).
   * "First order delivered" compares a delivery's orderId with it.
   */
  firstOrderAt?: string;
  firstOrderId?: string;
  /**
   * Addresses a provider refused for good (a hard bounce), per channel. Only that address is off:
   * a customer who gives a new one is reachable again.
   */
  bounced?: Partial<Record<'email' | 'sms', HardBounce>>;
}

export interface HardBounce {
  address: string;
  /** ISO timestamp. */
  at: string;
  reason: string;
}

/** The fields templates and conditions may read under `profile.` (attributes.* is open-ended). */
export const PROFILE_FIELDS = [
  'customerId',
  'email',
  'phone',
  'firstName',
  'lastName',
  'timezone',
  'country',
  'loyaltyTier',
  'consents',
  'attributes',
  'tags',
  'lastOrderAt',
  'firstOrderAt',
  'firstOrderId',
] as const;
