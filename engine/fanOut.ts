import type { CatalogEvent } from '../events/schema';
import type { Playbook } from '../playbooks/schema';
import { parseDuration } from './duration';

/*
 * Who a catalog event concerns. A restock, a price drop or a launch names a product, not a
 * customer; a playbook's `trigger.fanOut` says which customers it reaches. One rule for the client
 * (MongoDB queries) and the simulator (in-memory indexes), so both reach the same customers.
 */

export type Interaction = 'wishlisted' | 'viewed';

/** The customer event that records each interaction with a SKU. */
export const INTERACTION_EVENT = {
  wishlisted: 'wishlist.added',
  viewed: 'product.viewed',
} as const satisfies Record<Interaction, string>;

export type InteractionEventType = (typeof INTERACTION_EVENT)[Interaction];

/** What to look up for one playbook and one catalog event. Times are epoch milliseconds. */
export interface FanOutPlan {
  sku: string;
  /** Customers who did one of these with the SKU between `since` and `until`, both inclusive. */
  interactions?: { kinds: Interaction[]; since: number; until: number };
  /** Customers whose loyalty tier is one of these. */
  tiers?: string[];
}

/** The lookups a store answers; each may return a customer more than once and in any order. */
export interface AudienceIndexes {
  interactions(sku: string, kinds: readonly Interaction[], since: number, until: number): Iterable<string>;
  customersInTiers(tiers: readonly string[]): Iterable<string>;
}

/** The lookups for a playbook the event triggers, or undefined when it does not fan out to it. */
export function fanOutPlan(playbook: Playbook, event: CatalogEvent): FanOutPlan | undefined {
  const { fanOut } = playbook.trigger;
  if (fanOut === undefined || playbook.trigger.event !== event.type) return undefined;
  const plan: FanOutPlan = { sku: event.data.sku };
  const kinds = fanOut.to.filter((to): to is Interaction => to !== 'tier');
  if (kinds.length > 0) {
    // Measured from when the event happened, not when it is routed: routing it again later (or
    // offline) reaches the same customers.
    const until = Date.parse(event.occurredAt);
    plan.interactions = { kinds, since: until - (parseDuration(fanOut.lookback) ?? 0), until };
  }
  if (fanOut.to.includes('tier')) {
    const tiers =
      fanOut.tiers ?? (event.type === 'product.launched' ? event.data.earlyAccessTiers : undefined) ?? [];
    if (tiers.length > 0) plan.tiers = [...tiers];
  }
  return plan;
}

/** The customers a catalog event reaches through a playbook: sorted, each once. */
export function fanOutAudience(playbook: Playbook, event: CatalogEvent, indexes: AudienceIndexes): string[] {
  const plan = fanOutPlan(playbook, event);
  if (plan === undefined) return [];
  const customers = new Set<string>();
  if (plan.interactions) {
    const { kinds, since, until } = plan.interactions;
    for (const id of indexes.interactions(plan.sku, kinds, since, until)) customers.add(id);
  }
  if (plan.tiers) for (const id of indexes.customersInTiers(plan.tiers)) customers.add(id);
  return [...customers].sort();
}
