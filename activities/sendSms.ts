import type { Twilio } from 'twilio';
import { claimDelivery, claimNextAttempt, settleDelivery } from '../store/deliveries';
import { describe, failForNow, failPermanently, recordInDoubt, type FailureDeps } from './deliveryFailures';
import { settledResult } from './settledResult';
import type { DeliveryContext, SendResult } from './types';

export interface SendSmsDeps extends FailureDeps {
  twilio: Twilio;
  from: string;
  /**
   * Twilio posts delivery receipts here. Each message's URL carries its idempotency key (`?key=`),
   * so a receipt, or a provider-side log, names the send it belongs to.
   */
  statusCallbackUrl?: string;
}

/** The status callback URL of one send: the configured one with the send's key in its query. */
export function statusCallbackFor(base: string, idempotencyKey: string): string {
  const url = new URL(base);
  url.searchParams.set('key', idempotencyKey);
  return url.toString();
}

export interface SendSmsInput {
  context: DeliveryContext;
  to: string;
  body: string;
}

/** Twilio codes that blame the recipient: the number is invalid, not mobile, unroutable or opted out. */
const RECIPIENT_CODES = new Set([21211, 21217, 21610, 21612, 21614]);
/** Network errors raised before the request reached Twilio: nothing can have been sent. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
/** Clock skew allowed between our claim and Twilio's date_created when reconciling. */
const RECONCILE_SKEW_MS = 60_000;

/**
 * Looks for a message an ambiguous attempt may have left at Twilio: same recipient, sender and
 * body, created after the send was claimed. Twilio's list is the record of what it accepted.
 */
async function findAtTwilio(
  twilio: Twilio,
  sms: { to: string; from: string; body: string; since: Date },
): Promise<string | undefined> {
  const recent = await twilio.messages.list({ to: sms.to, from: sms.from, limit: 50 });
  const earliest = sms.since.getTime() - RECONCILE_SKEW_MS;
  return recent.find((m) => m.body === sms.body && m.dateCreated.getTime() >= earliest)?.sid;
}

export function createSendSms(deps: SendSmsDeps) {
  return async function sendSms({ context, to, body }: SendSmsInput): Promise<SendResult> {
    const { store, now } = deps;
    const key = context.idempotencyKey;
    const claim = await claimDelivery(store, { ...context, channel: 'sms', to }, now());
    if (claim.kind === 'settled') return settledResult(claim.record);

    let attempts: number;
    if (claim.kind === 'inDoubt') {
      // An earlier attempt died mid-call or got an ambiguous answer: ask Twilio before sending again.
      const sid = await findAtTwilio(deps.twilio, {
        to,
        from: deps.from,
        body,
        since: claim.record.createdAt,
      });
      if (sid !== undefined) {
        await settleDelivery(
          store,
          key,
          { status: 'sent', providerMessageId: sid, reconciled: 'found-at-provider' },
          now(),
        );
        return { status: 'sent', providerMessageId: sid, attempts: claim.record.attempts, reconciled: true };
      }
      attempts = await claimNextAttempt(store, claim.record, now());
    } else {
      attempts = claim.attempts;
    }

    let sid: string;
    try {
      const statusCallback =
        deps.statusCallbackUrl === undefined
          ? {}
          : { statusCallback: statusCallbackFor(deps.statusCallbackUrl, key) };
      ({ sid } = await deps.twilio.messages.create({ to, from: deps.from, body, ...statusCallback }));
    } catch (error) {
      const { status, code } = error as { status?: unknown; code?: unknown };
      if (status === 400) {
        const reason = `Twilio ${String(code)}: ${describe(error)}`;
        const recipient = typeof code === 'number' && RECIPIENT_CODES.has(code);
        return failPermanently(deps, context, 'sms', to, reason, recipient, { code });
      }
      if (status === 429 || (typeof code === 'string' && NOT_CONNECTED.has(code))) {
        return failForNow(deps, context, `Twilio ${String(status ?? code)}: ${describe(error)}`, error);
      }
      // A 5xx, a timeout or a reset after the request went out: Twilio may have the message. The
      // retry reconciles against Twilio's list before it sends again.
      await recordInDoubt(deps, context, `Twilio ${String(status ?? code)}: ${describe(error)}`);
      throw error;
    }
    await settleDelivery(store, key, { status: 'sent', providerMessageId: sid }, now());
    return { status: 'sent', providerMessageId: sid, attempts };
  };
}
