import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { withUnsubscribeFooter } from '../consent/unsubscribeFooter';
import { unsubscribeLink, type UnsubscribeLinks } from '../consent/unsubscribeHeaders';
import { claimDelivery, claimNextAttempt, settleDelivery } from '../store/deliveries';
import { describe, failForNow, failPermanently, recordInDoubt, type FailureDeps } from './deliveryFailures';
import { settledResult } from './settledResult';
import type { DeliveryContext, EmailMessage, SendResult } from './types';

export interface SendEmailDeps extends FailureDeps {
  mailer: Transporter;
  from: string;
  /** Signs the one-click unsubscribe link of marketing mail; absent, mail goes out without one. */
  unsubscribe?: UnsubscribeLinks;
}

export interface SendEmailInput {
  context: DeliveryContext;
  to: string;
  message: EmailMessage;
  /**
   * Marketing mail carries an unsubscribe link. Optional so that histories recorded before it
   * existed still replay; a send without it gets no link, as before.
   */
  purpose?: 'marketing' | 'transactional';
}

/** Same key, same Message-ID: a resend inside the ambiguous window is recognisable downstream. */
export function messageIdFor(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@journeys.local>`;
}

/** Errors raised before the relay took anything: nothing can have been sent. */
function notConnected(error: unknown): boolean {
  const { code } = error as { code?: unknown };
  return code === 'EDNS' || code === 'EAUTH' || (code === 'ESOCKET' && /ECONNREFUSED/.test(describe(error)));
}

export function createSendEmail(deps: SendEmailDeps) {
  return async function sendEmail({ context, to, message, purpose }: SendEmailInput): Promise<SendResult> {
    const { store, now } = deps;
    const key = context.idempotencyKey;
    const claim = await claimDelivery(
      store,
      { ...context, channel: 'email', to, subject: message.subject },
      now(),
    );
    if (claim.kind === 'settled') return settledResult(claim.record);

    let attempts: number;
    if (claim.kind === 'inDoubt') {
      // SMTP has no way to ask a relay what it accepted. A receipt is sent again, under the same
      // Message-ID so a receiver can drop the copy; marketing is not: a missed promotion costs less
      // than a duplicate one.
      if (purpose !== 'transactional') return leaveUnknown(deps, context, claim.record.reason);
      attempts = await claimNextAttempt(store, claim.record, now());
    } else {
      attempts = claim.attempts;
    }
    const link =
      purpose === 'marketing' && deps.unsubscribe !== undefined
        ? unsubscribeLink(deps.unsubscribe, context.customerId, now())
        : undefined;
    const body = link === undefined ? message : withUnsubscribeFooter(message, link.url);

    let providerMessageId: string;
    try {
      const info = (await deps.mailer.sendMail({
        from: deps.from,
        to,
        subject: message.subject,
        text: body.text,
        html: body.html,
        messageId: messageIdFor(key),
        headers: { 'X-Journey-Idempotency-Key': key, ...link?.headers },
      })) as { messageId?: string };
      providerMessageId = info.messageId ?? messageIdFor(key);
    } catch (error) {
      const code = (error as { responseCode?: unknown }).responseCode;
      const reason =
        typeof code === 'number' ? `SMTP ${code}: ${describe(error)}` : `SMTP: ${describe(error)}`;
      // 5xx: the relay refused the message for good, for this recipient: a hard bounce.
      if (typeof code === 'number' && code >= 500)
        return failPermanently(deps, context, 'email', to, reason, true);
      if (typeof code === 'number' || notConnected(error)) return failForNow(deps, context, reason, error);
      // The connection dropped with the message possibly taken: never known, never resent blindly.
      await recordInDoubt(deps, context, reason);
      if (purpose !== 'transactional') return leaveUnknown(deps, context, reason);
      throw error;
    }
    await settleDelivery(store, key, { status: 'sent', providerMessageId }, now());
    return { status: 'sent', providerMessageId, attempts };
  };
}

/** Settles an ambiguous marketing email as unknown for good: counted under the caps, not resent. */
async function leaveUnknown(
  deps: SendEmailDeps,
  context: DeliveryContext,
  reason = 'ambiguous',
): Promise<SendResult> {
  await settleDelivery(
    deps.store,
    context.idempotencyKey,
    { status: 'unknown', reason, reconciled: 'not-resent' },
    deps.now(),
  );
  return { status: 'unknown', reason };
}
