import type { Transporter } from 'nodemailer';
import { withUnsubscribeFooter } from './unsubscribe/unsubscribeFooter';
import { unsubscribeLink, type UnsubscribeLinks } from './unsubscribe/unsubscribeHeaders';
import { claimDelivery, claimNextAttempt, settleDelivery } from '../store/deliveries';
import { describe, failForNow, failPermanently, recordInDoubt, type FailureDeps } from './deliveryFailures';
import { fromDomain, listIdFor, messageIdFor } from './mailIdentity';
import { settledResult } from './settledResult';
import type { EmailMessage } from '../engine/template/message';
import type { DeliveryContext, SendResult } from './types';

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

/** Errors raised before the relay took anything: nothing can have been sent. */
function notConnected(error: unknown): boolean {
  const { code } = error as { code?: unknown };
  return code === 'EDNS' || code === 'EAUTH' || (code === 'ESOCKET' && /ECONNREFUSED/.test(describe(error)));
}

export function createSendEmail(deps: SendEmailDeps) {
  // Read once, so a MAIL_FROM without a domain stops the worker at start-up, not at the first send.
  const domain = fromDomain(deps.from);
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
    let resentAfterCrash = false;
    if (claim.kind === 'inDoubt') {
      // SMTP has no way to ask a relay what it accepted, so each kind of doubt is a bet, and the
      // copy always goes under the same Message-ID so a receiver can drop it:
      // - the relay dropped the connection after taking all of DATA (`unknown`): it most likely
      //   queued the message, so marketing is not sent again (a duplicate promotion costs more
      //   than a missed one), a receipt is;
      // - the worker died mid-attempt (`sending`, lease lapsed): most of that window lies before
      //   the message went, so everything is sent again (at least once). Chaos scenario 1 counts
      //   the copies this makes when a kill lands after the relay's accept.
      const workerDied = claim.record.status === 'sending';
      if (!workerDied && purpose !== 'transactional') {
        return leaveUnknown(deps, context, claim.record.reason);
      }
      resentAfterCrash = workerDied;
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
        messageId: messageIdFor(key, domain),
        headers: {
          'X-Journey-Idempotency-Key': key,
          'List-Id': listIdFor(context.playbookId, domain),
          ...link?.headers,
        },
      })) as { messageId?: string };
      providerMessageId = info.messageId ?? messageIdFor(key, domain);
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
    await settleDelivery(
      store,
      key,
      {
        status: 'sent',
        providerMessageId,
        ...(resentAfterCrash && { reconciled: 'resent-after-crash' as const }),
      },
      now(),
    );
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
