import { demoCatalog } from '../../demo/offerCatalog';
import type { Offer } from '../../../schemas/offers/schema';
import type { Collections } from '../../../store/collections';
import { upsertOffers } from '../../../store/offers';

/**
 * The catalog the bench journey decides from: the demo catalog's shape (own offers with margin
 * floors, partner offers by adjacent category), small enough to import in a few seconds per stack.
 * Its offers started a month ago, so all are valid now. The offer decision's own latency over
 * 5,000 partner offers is measured apart (tools/bench/decisions.ts).
 */
export function benchOffers(now = Date.now()): Offer[] {
  const start = new Date(now - 30 * 86_400_000).toISOString();
  return demoCatalog({ seed: 7, start, ownOffers: 40, partnerOffers: 160 });
}

export async function importBenchOffers(collections: Collections): Promise<number> {
  const offers = benchOffers();
  await upsertOffers(collections.offers, offers);
  return offers.length;
}
