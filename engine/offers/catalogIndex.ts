import type { Offer, OwnOffer, PartnerOffer } from '../../offers/schema';
import { murmur3 } from '../hash';
import { ALL_CONTEXTS, engagementKey } from './learning';

/*
 * The offer catalog as a decision reads it, built once when the catalog is loaded: own offers in a
 * list (a shop has hundreds), partner offers by their category (a retail-media catalog has
 * thousands, and a purchase only ever fits the few categories next to it), with dates parsed and
 * per-offer keys computed ahead so scoring one decision does no parsing and little allocation.
 */

/** One offer with what a decision needs precomputed. */
export interface Indexed<T extends Offer = Offer> {
  offer: T;
  /** validFrom / validTo in ms; −∞ / +∞ when absent. */
  from: number;
  to: number;
  /** murmur3 of the offer ID: mixed with the decision's seed, it gives the offer its own draws. */
  seed: number;
  /** The key of its counts over all contexts in the engagement map. */
  allContextsKey: string;
}

export type IndexedOwn = Indexed<OwnOffer>;
export type IndexedPartner = Indexed<PartnerOffer>;

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
    from: offer.validFrom === undefined ? -Infinity : Date.parse(offer.validFrom),
    to: offer.validTo === undefined ? Infinity : Date.parse(offer.validTo),
    seed: murmur3(offer.offerId),
    allContextsKey: engagementKey(offer.offerId, ALL_CONTEXTS),
  };
}

const byOfferId = (a: Indexed, b: Indexed): number =>
  a.offer.offerId < b.offer.offerId ? -1 : a.offer.offerId > b.offer.offerId ? 1 : 0;

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
      list.push(indexed(offer));
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
