import { ApplicationFailure } from '@temporalio/activity';
import type { Collection } from 'mongodb';
import type { Twilio } from 'twilio';
import type { DeliveryRecord, LedgerDoc } from '../store/collections';
import { releaseContactSlot } from '../store/contactLedger';
import { claimDelivery, settleDelivery } from '../store/deliveries';
import { ErrorType } from './errors';
import { settledResult } from './settledResult';
import type { DeliveryContext, SendResult } from './types';

export interface SendSmsDeps {
  deliveries: Collection<DeliveryRecord>;
  /** A permanently refused message gives its cap slot back: caps count what went out. */
  ledger: Collection<LedgerDoc>;
  twilio: Twilio;
  from: string;
  now: () => Date;
}

export interface SendSmsInput {
  context: DeliveryContext;
  to: string;
  body: string;
}

export function createSendSms(deps: SendSmsDeps) {
  return async function sendSms({ context, to, body }: SendSmsInput): Promise<SendResult> {
    const claim = await claimDelivery(deps.deliveries, { ...context, channel: 'sms', to }, deps.now());
    if (claim.kind === 'settled') return settledResult(claim.record);

    let sid: string;
    try {
      ({ sid } = await deps.twilio.messages.create({ to, from: deps.from, body }));
    } catch (error) {
      const { status, code } = error as { status?: unknown; code?: unknown };
      // Twilio's 400s (bad number, empty body, opted out) will not change on retry; 429, 5xx and
      // network errors will, so they go back to Temporal's retry policy under the same key.
      if (status === 400) {
        const reason = `Twilio ${String(code)}: ${(error as Error).message}`;
        await settleDelivery(
          deps.deliveries,
          context.idempotencyKey,
          { status: 'failed', reason },
          deps.now(),
        );
        await releaseContactSlot(deps.ledger, context.customerId, context.idempotencyKey);
        throw ApplicationFailure.nonRetryable(reason, ErrorType.PermanentDeliveryFailure, { to, code });
      }
      throw error;
    }
    await settleDelivery(
      deps.deliveries,
      context.idempotencyKey,
      { status: 'sent', providerMessageId: sid },
      deps.now(),
    );
    return { status: 'sent', providerMessageId: sid, attempts: claim.attempts };
  };
}
