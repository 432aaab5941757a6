import type { CatalogEvent, FanOutEvent, SeasonStarted } from '../../schemas/events/schema';
import type { Playbook } from '../../schemas/playbook/schema';
import { normaliseEvent } from '../events/normalise';
import { parseDuration } from '../time/duration';

/*
 * Who an event without a customer concerns. A restock, a price drop or a launch names a product,
 * a seasonal moment names a behaviour cohort (schemas/events/cohort.ts); a playbook's `trigger.fanOut` says
 * which customers it reaches. One rule for the client (MongoDB queries) and the simulator
 * (in-memory indexes), so both reach the same customers.
 */

export type Interaction = 'wishlisted' | 'viewed';

/** The customer event that records each interaction with a SKU. */
export const INTERACTION_EVENT = {
  wishlisted: 'wishlist.added',
  viewed: 'product.viewed',
} as const satisfies Record<Interaction, string>;

export type InteractionEventType = (typeof INTERACTION_EVENT)[Interaction];

/** Category behaviour a cohort reads, and the customer event that records it. */
export type CategoryActivity = 'ordered' | 'viewed';
export const CATEGORY_EVENT = {
  ordered: 'order.placed',
  viewed: 'product.viewed',
} as const satisfies Record<CategoryActivity, string>;

/** What to look up for one playbook and one event. Times are epoch milliseconds. */
export interface FanOutPlan {
  /** The catalog event's product; absent for a seasonal moment. */
  sku?: string;
  /** Customers who did one of these with the SKU between `since` and `until`, both inclusive. */
  interactions?: { kinds: Interaction[]; since: number; until: number };
  /** Customers whose loyalty tier is one of these. */
  tiers?: string[];
  /** Customers who did `kind` in one of `categories` between `since` and `until`, both inclusive. */
  categories?: { kind: CategoryActivity; categories: string[]; since: number; until: number }[];
  /** Customers whose profile carries one of these tags. */
  tags?: string[];
}

/** The lookups a store answers; each may return a customer more than once and in any order. */
export interface AudienceIndexes {
  interactions(sku: string, kinds: readonly Interaction[], since: number, until: number): Iterable<string>;
  customersInTiers(tiers: readonly string[]): Iterable<string>;
  categoryActivity(
    kind: CategoryActivity,
    categories: readonly string[],
    since: number,
    until: number,
  ): Iterable<string>;
  customersWithTags(tags: readonly string[]): Iterable<string>;
}

/** A seasonal moment reaches the cohort it carries; measured back from when it started. */
function cohortPlan(event: SeasonStarted): FanOutPlan {
  // Normalised again here: a Schedule synced before the rename publishes `withinDays`.
  const { cohort } = normaliseEvent(event).data;
  const until = Date.parse(event.occurredAt);
  const plan: FanOutPlan = {};
  const categories = (['ordered', 'viewed'] as const).flatMap((kind) => {
    const behaviour = cohort[kind];
    return behaviour === undefined
      ? []
      : [
          {
            kind,
            categories: [...behaviour.categories],
            // Validated at the boundary, so the duration always parses.
            since: until - (parseDuration(behaviour.within) ?? 0),
            until,
          },
        ];
  });
  if (categories.length > 0) plan.categories = categories;
  if (cohort.tiers) plan.tiers = [...cohort.tiers];
  if (cohort.tags) plan.tags = [...cohort.tags];
  return plan;
}

/** The lookups for a playbook the event triggers, or undefined when it does not fan out to it. */
export function fanOutPlan(playbook: Playbook, event: FanOutEvent): FanOutPlan | undefined {
  const { fanOut } = playbook.trigger;
  if (fanOut === undefined || playbook.trigger.event !== event.type) return undefined;
  if (event.type === 'season.started') return fanOut.to.includes('cohort') ? cohortPlan(event) : undefined;
  return catalogPlan(fanOut, event);
}

function catalogPlan(fanOut: NonNullable<Playbook['trigger']['fanOut']>, event: CatalogEvent): FanOutPlan {
  const plan: FanOutPlan = { sku: event.data.sku };
  const kinds = fanOut.to.filter((to): to is Interaction => to === 'wishlisted' || to === 'viewed');
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
export function fanOutAudience(playbook: Playbook, event: FanOutEvent, indexes: AudienceIndexes): string[] {
  const plan = fanOutPlan(playbook, event);
  if (plan === undefined) return [];
  const customers = new Set<string>();
  if (plan.interactions && plan.sku !== undefined) {
    const { kinds, since, until } = plan.interactions;
    for (const id of indexes.interactions(plan.sku, kinds, since, until)) customers.add(id);
  }
  if (plan.tiers) for (const id of indexes.customersInTiers(plan.tiers)) customers.add(id);
  for (const { kind, categories, since, until } of plan.categories ?? []) {
    for (const id of indexes.categoryActivity(kind, categories, since, until)) customers.add(id);
  }
  if (plan.tags) for (const id of indexes.customersWithTags(plan.tags)) customers.add(id);
  return [...customers].sort();
}
