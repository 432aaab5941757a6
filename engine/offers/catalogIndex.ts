import type { Offer, OfferKind, OwnOffer, PartnerOffer } from '../../schemas/offers/schema';
import { murmur3 } from '../ids/hash';

/*
 * The offer catalog as a decision reads it, built once when the catalog is loaded: own offers in a
 * list (a shop has hundreds), partner offers by their category (a retail-media catalog has
 * thousands, and a purchase only ever fits the few categories next to it), with dates parsed and
 * per-offer keys computed ahead so scoring one decision does no parsing and little allocation.
 */

/**
 * One offer with what a decision needs precomputed. The fields the rules read for every offer are
 * copied from it onto one object shape: stored offers come in many shapes (optional fields present
 * or not), and V8 reads a field several times slower across many shapes than from one.
 */
export interface Indexed<T extends Offer = Offer> {
  /** The stored offer, as the reasons and the decision read it. */
  offer: T;
  offerId: string;
  kind: OfferKind;
  active: boolean;
  /** validFrom / validTo in ms; −∞ / +∞ when absent. */
  from: number;
  to: number;
  /** 0 when absent. */
  minBasket: number;
  /** +∞ when absent. */
  perCustomerCap: number;
  totalCap: number;
  budget: number;
  /** murmur3 of the offer ID: mixed with the decision's seed, it gives the offer its own draws. */
  seed: number;
}

export type IndexedOwn = Indexed<OwnOffer>;

export interface IndexedPartner extends Indexed<PartnerOffer> {
  neverNextTo: readonly string[];
  /** pricePoint's bounds; 0 / +∞ when absent. */
  priceMin: number;
  priceMax: number;
  payout: number;
  perClick: boolean;
}

export interface CatalogIndex {
  /** Own offers, by offer ID. */
  own: readonly IndexedOwn[];
  /** Partner offers by their category, each list by offer ID. */
  partnersByCategory: ReadonlyMap<string, readonly IndexedPartner[]>;
  size: { own: number; partner: number; categories: number };
}

function indexed<T extends Offer>(offer: T): Indexed<T> {
  return {
    offer,
    offerId: offer.offerId,
    kind: offer.kind,
    active: offer.active,
    from: offer.validFrom === undefined ? -Infinity : Date.parse(offer.validFrom),
    to: offer.validTo === undefined ? Infinity : Date.parse(offer.validTo),
    minBasket: offer.minBasket ?? 0,
    perCustomerCap: offer.perCustomerCap ?? Infinity,
    totalCap: offer.totalCap ?? Infinity,
    budget: offer.budget ?? Infinity,
    seed: murmur3(offer.offerId),
  };
}

// The partner fields are added to the indexed() object in place, not spread into a new one: V8
// gives spread copies shapes of their own, and thousands of shapes would undo the point of copying.
const indexedPartner = (offer: PartnerOffer): IndexedPartner =>
  Object.assign(indexed(offer), {
    neverNextTo: offer.neverNextTo,
    priceMin: offer.pricePoint?.min ?? 0,
    priceMax: offer.pricePoint?.max ?? Infinity,
    payout: offer.payout,
    perClick: offer.payoutModel === 'cpc',
  });

const byOfferId = (a: Indexed, b: Indexed): number =>
  a.offerId < b.offerId ? -1 : a.offerId > b.offerId ? 1 : 0;

/**
 * Indexes stored offers. Offer IDs are unique in the store; should one appear twice here the later
 * one wins, as a re-import would. Lists are sorted by offer ID so the order offers arrive in (a
 * database cursor's) never changes a decision.
 */
export function buildCatalogIndex(offers: readonly Offer[]): CatalogIndex {
  const latest = new Map<string, Offer>();
  for (const offer of offers) latest.set(offer.offerId, offer);
  const own: IndexedOwn[] = [];
  const partners = new Map<string, IndexedPartner[]>();
  for (const offer of latest.values()) {
    if (offer.kind === 'partner') {
      let list = partners.get(offer.category);
      if (list === undefined) partners.set(offer.category, (list = []));
      list.push(indexedPartner(offer));
    } else own.push(indexed(offer));
  }
  own.sort(byOfferId);
  let partner = 0;
  for (const list of partners.values()) {
    list.sort(byOfferId);
    partner += list.length;
  }
  return {
    own,
    partnersByCategory: partners,
    size: { own: own.length, partner, categories: partners.size },
  };
}
