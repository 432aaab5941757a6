import type { Transporter } from 'nodemailer';
import type { Twilio } from 'twilio';
import type { UnsubscribeLinks } from '../consent/unsubscribeHeaders';
import { basketValue, chooseOffer, type CatalogOffer, type OfferDecision } from '../engine/offer';
import type { Profile } from '../engine/profile';
import type { JourneyEvent } from '../events/schema';
import type { Collections } from '../store/collections';
import { recordSuppression } from '../store/deliveries';
import { findProfile, updateProfileFields } from '../store/profiles';
import { createRecordDecisions } from './recordDecisions';
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
  now?: () => Date;
  /** One-click unsubscribe links for marketing email; absent, none are added. */
  unsubscribe?: UnsubscribeLinks;
}

/**
 * Every activity the journeys call, built from injected dependencies: the worker passes real
 * clients, tests pass the same real clients pointed at loopback servers. Workflows import only the
 * type of the result.
 */
export function createActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const { deliveries, profiles, offers, ledger } = deps.collections;
  const store = { deliveries, attempts: deps.collections.deliveryAttempts };
  const failures = { store, ledger, profiles, now };
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
    async decideOffer(input: {
      customerId: string;
      trigger: JourneyEvent;
      kinds?: OfferDecision['kind'][];
    }): Promise<OfferDecision | null> {
      const catalog: CatalogOffer[] = await offers
        .find({ active: true }, { projection: { _id: 0 } })
        .toArray();
      const basket = basketValue(input.trigger);
      return chooseOffer(
        catalog,
        { ...(basket !== undefined && { basket }), ...(input.kinds && { kinds: input.kinds }) },
        now().getTime(),
      );
    },
    loadProducts: createLoadProducts({ products: deps.collections.products }),
    reserveSlot: createReserveSlot({ ledger }),
    recordDecisions: createRecordDecisions({ decisions: deps.collections.decisions, now }),
    sendEmail: createSendEmail({
      ...failures,
      mailer: deps.mailer,
      from: deps.mailFrom,
      ...(deps.unsubscribe && { unsubscribe: deps.unsubscribe }),
    }),
    sendSms: createSendSms({ ...failures, twilio: deps.twilio, from: deps.smsFrom }),
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
export type { DeliveryContext, EmailMessage, SendResult, SuppressionInput } from './types';
