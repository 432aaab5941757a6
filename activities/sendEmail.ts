import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { Transporter } from 'nodemailer';
import type { Collection } from 'mongodb';
import { unsubscribeLink, type UnsubscribeLinks } from '../consent/unsubscribeHeaders';
import type { DeliveryRecord, LedgerDoc } from '../store/collections';
import { releaseContactSlot } from '../store/contactLedger';
import { claimDelivery, settleDelivery } from '../store/deliveries';
import { settledResult } from './settledResult';
import { ErrorType } from './errors';
import type { DeliveryContext, EmailMessage, SendResult } from './types';

export interface SendEmailDeps {
  deliveries: Collection<DeliveryRecord>;
  /** A permanently refused message gives its cap slot back: caps count what went out. */
  ledger: Collection<LedgerDoc>;
  mailer: Transporter;
  from: string;
  now: () => Date;
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

export function createSendEmail(deps: SendEmailDeps) {
  return async function sendEmail({ context, to, message, purpose }: SendEmailInput): Promise<SendResult> {
    const claim = await claimDelivery(
      deps.deliveries,
      { ...context, channel: 'email', to, subject: message.subject },
      deps.now(),
    );
    if (claim.kind === 'settled') return settledResult(claim.record);
    const unsubscribe =
      purpose === 'marketing' && deps.unsubscribe !== undefined
        ? unsubscribeLink(deps.unsubscribe, context.customerId, deps.now()).headers
        : {};

    let providerMessageId: string;
    try {
      const info = (await deps.mailer.sendMail({
        from: deps.from,
        to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: messageIdFor(context.idempotencyKey),
        headers: { 'X-Journey-Idempotency-Key': context.idempotencyKey, ...unsubscribe },
      })) as { messageId?: string };
      providerMessageId = info.messageId ?? messageIdFor(context.idempotencyKey);
    } catch (error) {
      const code = (error as { responseCode?: unknown }).responseCode;
      if (typeof code === 'number' && code >= 500) {
        const reason = `SMTP ${code}: ${(error as Error).message}`;
        await settleDelivery(
          deps.deliveries,
          context.idempotencyKey,
          { status: 'failed', reason },
          deps.now(),
        );
        await releaseContactSlot(deps.ledger, context.customerId, context.idempotencyKey);
        throw ApplicationFailure.nonRetryable(reason, ErrorType.PermanentDeliveryFailure, { to });
      }
      throw error; // 4xx and connection errors are transient: Temporal retries with the same key.
    }
    await settleDelivery(
      deps.deliveries,
      context.idempotencyKey,
      { status: 'sent', providerMessageId },
      deps.now(),
    );
    return { status: 'sent', providerMessageId, attempts: claim.attempts };
  };
}
