import { z } from 'zod';
import { clockTime, Duration } from '../time';

/*
 * The workspace contact policy: caps, quiet hours, arbitration and consent rules that govern every
 * send of every playbook. CRM teams edit policy/workspace.yaml; it is validated like a playbook.
 * Compatibility: new fields are optional with defaults; a rule's meaning never changes in place.
 * Shares are written from 0 to 1 (exploration: 0.15), as in playbooks (holdout: 0.1); a duration as
 * in playbooks (24h); a send not sent is "skipped", in the words of a playbook's onCap/onQuietHours.
 */

const ClockTime = clockTime('21:00');

export const CapWindow = z.union([
  z.strictObject({ rolling: Duration }),
  z.strictObject({ calendar: z.enum(['day', 'week']) }),
]);
export type CapWindow = z.infer<typeof CapWindow>;

/** At most `max` sends in the window, on one channel or all; optionally only a playbook's or a tag's. */
export const CapRule = z.strictObject({
  channel: z.enum(['email', 'sms', 'any']),
  max: z.number().int().min(0),
  window: CapWindow,
  playbook: z.string().min(1).optional(),
  tag: z.string().min(1).optional(),
});
export type CapRule = z.infer<typeof CapRule>;

export const QuietHours = z.strictObject({
  channel: z.enum(['email', 'sms']),
  from: ClockTime,
  to: ClockTime,
});
export type QuietHours = z.infer<typeof QuietHours>;

const Share = z.number().min(0, 'must be 0 or more').max(1, 'must be at most 1');

/**
 * How offers are decided and valued (decideOffer), for every playbook. Costs turn a basket into
 * its margin: an order item's own `cost` when the event gives one, else price × the category's
 * cost ratio.
 */
export const OfferSettings = z.strictObject({
  /** Share of decisions that pick an eligible offer at random, to keep learning (0.1–0.2 advised). */
  exploration: Share.default(0.15),
  /** Engagement evidence loses half its weight over this long. */
  halfLife: Duration.default('30d'),
  /** Cost of goods as a share of price, for a category without its own ratio. */
  defaultCostRatio: Share.default(0.6),
  costRatios: z.record(z.string().min(1), Share).default({}),
  /** What free shipping costs the shop per order. */
  shippingCost: z.number().nonnegative().default(6),
  /** Of the clicks on a pay-per-acquisition partner offer, the share that buys. */
  partnerConversionRate: Share.default(0.05),
  /**
   * Categories bought together (running-shoes → running-socks), symmetric; partner offers are
   * matched to the purchase's adjacent categories. Absent: the demo shop's adjacency.
   */
  adjacency: z.record(z.string().min(1), z.array(z.string().min(1))).optional(),
});
export type OfferSettings = z.infer<typeof OfferSettings>;

export const ContactPolicy = z.strictObject({
  $schema: z.string().optional(),
  /** Used when neither the profile nor the phone number gives the customer's timezone. */
  timezone: z.string().min(1).default('UTC'),
  weekStartsOn: z.enum(['mon', 'sun']).default('mon'),
  caps: z.array(CapRule).default([]),
  quietHours: z.array(QuietHours).default([]),
  /** Sends for one customer inside this window are arbitrated by playbook priority. */
  arbitrationWindow: Duration.default('5m'),
  /** A deferred send (onCap or onQuietHours: defer) not sent within this long is skipped. */
  maxDeferral: Duration.default('24h'),
  /** Channels where marketing needs an explicit opt-in rather than the absence of an opt-out. */
  marketingRequiresOptIn: z.array(z.enum(['email', 'sms'])).default([]),
  /** How offers are decided and valued; every setting has a default. */
  offers: OfferSettings.default(OfferSettings.parse({})),
  /** Extra caps or quiet hours for one playbook, added to the workspace's (the stricter rule wins). */
  overrides: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
      z.strictObject({ caps: z.array(CapRule).optional(), quietHours: z.array(QuietHours).optional() }),
    )
    .default({}),
});
export type ContactPolicy = z.infer<typeof ContactPolicy>;
