import type { Transporter } from 'nodemailer';
import type { Twilio } from 'twilio';
import type { UnsubscribeLinks } from './unsubscribe/unsubscribeHeaders';
import type { Profile } from '../engine/profile/profile';
import type { Collections } from '../store/collections';
import { recordSuppression } from '../store/deliveries';
import { findProfile, updateProfileFields } from '../store/profiles';
import { OfferSettings } from '../schemas/policy/schema';
import type { EventPublisher } from '../schemas/events/publisher';
import { createDecideOffer } from './decideOffer';
import { createPublishEvent } from './publishEvent';
import { OfferModelCache } from './offerModelCache';
import { withImpressions } from './offerImpressions';
import { withDecisions } from './decisionsWithSend';
import { createRecordDecisions } from './recordDecisions';
import { CounterWriter } from '../store/consoleCounts';
import { createLoadProducts } from './loadProducts';
import { createReserveSlot } from './reserveSlot';
import { createSendEmail } from './sendEmail';
import { createSendSms } from './sendSms';
import type { SuppressionInput } from './types';

export interface ActivityDeps {
  collections: Collections;
  mailer: Transporter;
  mailFrom: string;
  twilio: Twilio;
  smsFrom: string;
  /** Twilio's delivery receipts go here, each URL carrying its send's idempotency key. */
  smsStatusCallbackUrl?: string;
  now?: () => Date;
  /** One-click unsubscribe links for marketing email; absent, none are added. */
  unsubscribe?: UnsubscribeLinks;
  /** The workspace's offer settings (policy file `offers:`); absent, the defaults. */
  offerSettings?: OfferSettings;
  /** How long the in-memory offer model serves decisions before it is read again. */
  offerRefreshMs?: number;
  /** Where events the engine computes (timers, schedules) are published; absent, they cannot be. */
  publisher?: EventPublisher;
}

const DEFAULT_OFFER_REFRESH_MS = 30_000;

/**
 * Every activity the journeys call, built from injected dependencies: the worker passes real
 * clients, tests pass the same real clients pointed at loopback servers. Workflows import only the
 * type of the result.
 */
export function createActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const { deliveries, profiles, offers, ledger, offerGrants, offerOutcomes } = deps.collections;
  const impressions = { outcomes: offerOutcomes, now };
  const store = { deliveries, attempts: deps.collections.deliveryAttempts };
  const failures = { store, ledger, profiles, now };
  const recordDecisions = createRecordDecisions({
    decisions: deps.collections.decisions,
    runSummaries: deps.collections.runSummaries,
    runCountMarkers: deps.collections.runCountMarkers,
    // One writer per worker process: its counter shards are its own (store/consoleCounts.ts).
    counters: new CounterWriter({
      shards: deps.collections.counterShards,
      writers: deps.collections.counterWriters,
    }),
    now,
  });
  return {
    async loadProfile(customerId: string): Promise<Profile> {
      return findProfile(profiles, customerId);
    },
    async updateProfile(input: {
      customerId: string;
      set?: Record<string, string | number | boolean>;
      addTags?: string[];
      removeTags?: string[];
    }): Promise<void> {
      await updateProfileFields(profiles, input.customerId, input, now());
    },
    decideOffer: createDecideOffer({
      cache: new OfferModelCache({
        offers,
        outcomes: offerOutcomes,
        settings: deps.offerSettings ?? OfferSettings.parse({}),
        refreshMs: deps.offerRefreshMs ?? DEFAULT_OFFER_REFRESH_MS,
        now,
      }),
      grants: offerGrants,
      tallies: deps.collections.offerGrantTallies,
      now,
    }),
    loadProducts: createLoadProducts({ products: deps.collections.products }),
    publishEvent: createPublishEvent(deps.publisher === undefined ? {} : { publisher: deps.publisher }),
    reserveSlot: createReserveSlot({ ledger, now }),
    recordDecisions,
    sendEmail: withDecisions(
      withImpressions(
        createSendEmail({
          ...failures,
          mailer: deps.mailer,
          from: deps.mailFrom,
          ...(deps.unsubscribe && { unsubscribe: deps.unsubscribe }),
        }),
        impressions,
      ),
      recordDecisions,
    ),
    sendSms: withDecisions(
      withImpressions(
        createSendSms({
          ...failures,
          twilio: deps.twilio,
          from: deps.smsFrom,
          ...(deps.smsStatusCallbackUrl !== undefined && { statusCallbackUrl: deps.smsStatusCallbackUrl }),
        }),
        impressions,
      ),
      recordDecisions,
    ),
    async recordSuppression({ context, reason, channel, to, subject }: SuppressionInput): Promise<void> {
      await recordSuppression(
        deliveries,
        {
          ...context,
          reason,
          ...(channel === undefined ? {} : { channel }),
          ...(to === undefined ? {} : { to }),
          ...(subject === undefined ? {} : { subject }),
        },
        now(),
      );
    },
  };
}

export type JourneyActivities = ReturnType<typeof createActivities>;
export type { DeliveryContext, SendResult, SuppressionInput } from './types';
export type { EmailMessage } from '../engine/template/message';
