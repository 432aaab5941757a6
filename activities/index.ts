import type { Transporter } from 'nodemailer';
import type { Twilio } from 'twilio';
import type { Collections } from '../store/collections';
import { recordSuppression } from '../store/deliveries';
import { findContact, type Contact } from '../store/profiles';
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
  const { deliveries, profiles } = deps.collections;
  return {
    async loadContact(customerId: string): Promise<Contact> {
      return findContact(profiles, customerId);
    },
    sendEmail: createSendEmail({ deliveries, mailer: deps.mailer, from: deps.mailFrom, now }),
    sendSms: createSendSms({ deliveries, twilio: deps.twilio, from: deps.smsFrom, now }),
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
