import type { Collection } from 'mongodb';
import type { OfferOutcomeRecord } from '../store/collections';
import { recordOutcome } from '../store/offerOutcomes';
import type { DeliveryContext, SendResult } from './types';

/**
 * Wraps a send so a message that went out carrying an offer counts as one impression of it, the
 * denominator the model learns engagement against. Recorded under the delivery's key: a retry that
 * finds the message already sent records the same impression, never a second one.
 */
export function withImpressions<Input extends { context: DeliveryContext }>(
  send: (input: Input) => Promise<SendResult>,
  deps: { outcomes: Collection<OfferOutcomeRecord>; now: () => Date },
): (input: Input) => Promise<SendResult> {
  return async (input) => {
    const result = await send(input);
    const { offer, idempotencyKey, customerId } = input.context;
    const sent =
      result.status === 'sent' || (result.status === 'already-settled' && result.settledAs === 'sent');
    if (offer !== undefined && sent)
      await recordOutcome(deps.outcomes, {
        _id: `shown:${idempotencyKey}`,
        offerId: offer.offerId,
        contextKey: offer.contextKey,
        type: 'shown',
        customerId,
        at: deps.now(),
      });
    return result;
  };
}
