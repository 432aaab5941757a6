import { demoCatalog } from './offerCatalog';
import type { Offer } from '../../schemas/offers/schema';

/*
 * offers.json: the demo offer catalog (tools/demo/offerCatalog.ts), valid around the window's middle so
 * the decideOffer steps find live offers all through it, plus two retention offers. A renewal has
 * no basket, so only an offer with a long-term value is worth anything to renewal-save; the
 * generic demo catalog has none.
 */

const RETENTION: Offer[] = [
  {
    offerId: 'retention-renewal-20',
    kind: 'discount',
    title: '20% off your renewal',
    code: 'STAY20',
    active: true,
    discountPercent: 20,
    maxDiscount: 15,
    longTermValue: 40,
    perCustomerCap: 1,
  },
  {
    offerId: 'retention-renewal-10',
    kind: 'discount',
    title: '10 off your renewal',
    code: 'STAY10',
    active: true,
    discountAmount: 10,
    longTermValue: 30,
    perCustomerCap: 1,
  },
];

export function demoOffers(seed: number, start: number, end: number): Offer[] {
  const middle = new Date(start + (end - start) / 2).toISOString();
  return [...demoCatalog({ seed, start: middle, ownOffers: 120, partnerOffers: 1000 }), ...RETENTION];
}
