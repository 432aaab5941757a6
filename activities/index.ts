import type { Transporter } from 'nodemailer';
import type { Twilio } from 'twilio';
import { basketValue, chooseOffer, type CatalogOffer, type OfferDecision } from '../engine/offer';
import type { Profile } from '../engine/profile';
import type { JourneyEvent } from '../events/schema';
import type { Collections } from '../store/collections';
import { recordSuppression } from '../store/deliveries';
import { findProfile, updateProfileFields } from '../store/profiles';
import { capLabel } from '../engine/interpreter/sendPolicy';
import type { CalendarContext } from '../engine/policy/caps';
import type { CapRule } from '../policy/schema';
import { reserveContactSlot } from '../store/contactLedger';
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
}

/**
 * Every activity the journeys call, built from injected dependencies: the worker passes real
 * clients, tests pass the same real clients pointed at loopback servers. Workflows import only the
 * type of the result.
 */
export function createActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const { deliveries, profiles, offers, ledger } = deps.collections;
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
    /** Takes a slot under the run's caps, atomically per customer; refused, it says which cap and until when. */
    async reserveSlot(input: {
      customerId: string;
      playbookId: string;
      key: string;
      channel: 'email' | 'sms';
      transactional: boolean;
      caps: CapRule[];
      calendar: CalendarContext;
      /** The run's time of decision (epoch ms): the caps are judged, and the slot dated, at that instant. */
      at: number;
    }): Promise<{ reserved: true } | { reserved: false; rule: string; freesAt: number }> {
      const result = await reserveContactSlot(ledger, {
        customerId: input.customerId,
        key: input.key,
        candidate: {
          channel: input.channel,
          playbookId: input.playbookId,
          transactional: input.transactional,
        },
        rules: input.caps,
        calendar: input.calendar,
        now: input.at,
      });
      return result.reserved
        ? { reserved: true }
        : { reserved: false, rule: capLabel(result.decision.rule), freesAt: result.decision.freesAt };
    },
    sendEmail: createSendEmail({ deliveries, ledger, mailer: deps.mailer, from: deps.mailFrom, now }),
    sendSms: createSendSms({ deliveries, ledger, twilio: deps.twilio, from: deps.smsFrom, now }),
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
