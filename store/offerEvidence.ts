import { composeId } from '../engine/ids/idParts';
import type { JourneyEvent } from '../schemas/events/schema';
import type { Collections } from './collections';
import { latestGrantContext } from './offerGrants';
import { recordOutcome } from './offerOutcomes';

export type OfferEvidenceStores = Pick<
  Collections,
  'offers' | 'offerGrants' | 'offerGrantTallies' | 'offerOutcomes'
>;

/**
 * What an incoming event tells the offer model and the offer budgets:
 * - a click or a conversion on a message's offer is an engagement, learned under the context the
 *   offer was granted in, once per message (opens are not: mail clients open on their own);
 * - a partner offer's click (cpc) or conversion (cpa) earns its payout, once per message;
 * - an order that redeemed offers uses them up, with its discount shared between them.
 * Each is an insert under the event's business key, so publishing an event twice counts once.
 */
export async function recordOfferEvidence(stores: OfferEvidenceStores, event: JourneyEvent): Promise<void> {
  if (event.type === 'message.engaged') {
    const { offerId, messageId, kind } = event.data;
    if (offerId === undefined || kind === 'opened') return;
    const at = new Date(event.occurredAt);
    const grant = await latestGrantContext(stores, event.customerId, offerId);
    // Only an offer this engine granted has the impressions to weigh a click against.
    if (grant !== null)
      await recordOutcome(stores.offerOutcomes, {
        _id: outcomeId('engaged', messageId, offerId),
        offerId,
        contextKey: grant.contextKey,
        type: 'engaged',
        customerId: event.customerId,
        at,
      });
    // Offers are stored under `_id` = offerId (store/offers.ts): a point read.
    const offer = await stores.offers.findOne({ _id: offerId });
    if (offer?.kind !== 'partner') return;
    const earns = offer.payoutModel === 'cpc' ? kind === 'clicked' : kind === 'converted';
    if (earns)
      await recordOutcome(stores.offerOutcomes, {
        _id: outcomeId('paid', messageId, offerId),
        offerId,
        contextKey: grant?.contextKey ?? 'none',
        type: 'paid',
        amount: offer.payout,
        customerId: event.customerId,
        at,
      });
    return;
  }
  if (event.type === 'order.placed') {
    const { offerIds = [], discount = 0, orderId } = event.data;
    const at = new Date(event.occurredAt);
    for (const offerId of new Set(offerIds)) {
      const grant = await latestGrantContext(stores, event.customerId, offerId);
      await recordOutcome(stores.offerOutcomes, {
        _id: outcomeId('redeemed', orderId, offerId),
        offerId,
        contextKey: grant?.contextKey ?? 'none',
        type: 'redeemed',
        amount: discount / new Set(offerIds).size,
        customerId: event.customerId,
        at,
      });
    }
  }
}

/**
 * `<type>:<messageId or orderId>:<offerId>`. The offer ID comes last and is left as it is (it may
 * hold `:`): everything after the escaped message or order ID is the offer ID, so no two outcomes
 * share an `_id`, and outcomes whose message or order ID holds no `:`, `%` or `~` keep the `_id`
 * they were recorded under.
 */
export function outcomeId(type: 'engaged' | 'paid' | 'redeemed', sourceId: string, offerId: string): string {
  return `${composeId([type, sourceId])}:${offerId}`;
}
