import { basketOf, type CostModel } from '../offers/basket';
import type { JourneyEvent } from '../../schemas/events/schema';

/*
 * What one customer's orders and offer engagements in the attribution window were worth to the
 * shop: the discounts given, the margin left after cost of goods and discounts, and what partner
 * brands paid for their offers. Pure: the store selects the events, this values them.
 */

/** What the catalog says an engagement with an offer earns. */
export type OfferPayout = { kind: 'partner'; payoutModel: 'cpc' | 'cpa'; payout: number } | { kind: 'own' };

export interface CustomerEconomics {
  /** Σ the orders' `discount`: what the offers cost the shop. */
  discount: number;
  /** Σ (goods value − cost of goods − discount). */
  margin: number;
  /** Σ payouts: a click on a cpc partner offer, a conversion on a cpa one. */
  partnerRevenue: number;
  /** Clicks and conversions naming an offer the catalog does not hold: they cannot be valued. */
  unpricedEngagements: number;
}

/** The engagements a partner pays for; an `opened` never earns. */
const PAID_ON = { cpc: 'clicked', cpa: 'converted' } as const;

type Engagement = Extract<JourneyEvent, { type: 'message.engaged' }>;

/** Whether an engagement could earn a payout, so its offer is worth looking up. */
export function isPayableEngagement(
  event: JourneyEvent,
): event is Engagement & { data: Engagement['data'] & { offerId: string } } {
  return event.type === 'message.engaged' && event.data.kind !== 'opened' && event.data.offerId !== undefined;
}

/**
 * The margin reads the items (goods only: shipping and tax in an order's total are not margin), at
 * the item's own cost where the event gives one, else the workspace's cost ratio for its category.
 * Engagements count once per eventId, whatever the store holds.
 */
export function customerEconomics(
  events: readonly JourneyEvent[],
  costModel: CostModel,
  offers: ReadonlyMap<string, OfferPayout>,
): CustomerEconomics {
  const out: CustomerEconomics = { discount: 0, margin: 0, partnerRevenue: 0, unpricedEngagements: 0 };
  const engagements = new Set<string>();
  for (const event of events) {
    if (event.type === 'order.placed') {
      const discount = event.data.discount ?? 0;
      const basket = basketOf(event.data.items, costModel);
      out.discount += discount;
      out.margin += basket.value - basket.cost - discount;
    } else if (isPayableEngagement(event) && !engagements.has(event.eventId)) {
      engagements.add(event.eventId);
      const { kind, offerId } = event.data;
      const offer = offers.get(offerId);
      if (offer === undefined) out.unpricedEngagements += 1;
      else if (offer.kind === 'partner' && PAID_ON[offer.payoutModel] === kind)
        out.partnerRevenue += offer.payout;
    }
  }
  return out;
}

/** An arm's sums of its customers' economics; the square sum gives margin per customer a variance. */
export interface ArmEconomics {
  discount: number;
  margin: number;
  marginSquares: number;
  partnerRevenue: number;
}

export const noEconomics = (): ArmEconomics => ({
  discount: 0,
  margin: 0,
  marginSquares: 0,
  partnerRevenue: 0,
});

export function addCustomer(arm: ArmEconomics, customer: CustomerEconomics): void {
  arm.discount += customer.discount;
  arm.margin += customer.margin;
  arm.marginSquares += customer.margin * customer.margin;
  arm.partnerRevenue += customer.partnerRevenue;
}
