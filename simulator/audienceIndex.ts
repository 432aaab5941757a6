import {
  INTERACTION_EVENT,
  type AudienceIndexes,
  type CategoryActivity,
  type Interaction,
} from '../engine/triggers/fanOut';
import type { Profile } from '../engine/profile/profile';
import type { CustomerEvent } from '../schemas/events/schema';

/**
 * The simulator's answer to the fan-out lookups the client asks MongoDB: interactions are recorded
 * as events are replayed, tiers are read from the simulated profiles.
 */
export class MemoryAudienceIndexes implements AudienceIndexes {
  /** sku → interaction → customer → times it happened, oldest first (events replay in time order). */
  private readonly bySku = new Map<string, Map<Interaction, Map<string, number[]>>>();

  /** `kind|category` → customer → times it happened, oldest first. */
  private readonly byCategory = new Map<string, Map<string, number[]>>();

  constructor(private readonly profiles: ReadonlyMap<string, Profile>) {}

  record(event: CustomerEvent, at: number): void {
    this.recordCategories(event, at);
    const kind = (Object.keys(INTERACTION_EVENT) as Interaction[]).find(
      (k) => INTERACTION_EVENT[k] === event.type,
    );
    if (kind === undefined || !('sku' in event.data)) return;
    const byKind = this.bySku.get(event.data.sku) ?? new Map<Interaction, Map<string, number[]>>();
    this.bySku.set(event.data.sku, byKind);
    const byCustomer = byKind.get(kind) ?? new Map<string, number[]>();
    byKind.set(kind, byCustomer);
    const times = byCustomer.get(event.customerId);
    if (times) times.push(at);
    else byCustomer.set(event.customerId, [at]);
  }

  /** The categories an order or a view touched, as the MongoDB query reads them. */
  private recordCategories(event: CustomerEvent, at: number): void {
    const touched: [CategoryActivity, string[]] | undefined =
      event.type === 'order.placed'
        ? ['ordered', event.data.items.map((item) => item.category)]
        : event.type === 'product.viewed' && event.data.category !== undefined
          ? ['viewed', [event.data.category]]
          : undefined;
    if (touched === undefined) return;
    const [kind, categories] = touched;
    for (const category of new Set(categories)) {
      const key = `${kind}|${category}`;
      const byCustomer = this.byCategory.get(key) ?? new Map<string, number[]>();
      this.byCategory.set(key, byCustomer);
      byCustomer.set(event.customerId, [...(byCustomer.get(event.customerId) ?? []), at]);
    }
  }

  *categoryActivity(
    kind: CategoryActivity,
    categories: readonly string[],
    since: number,
    until: number,
  ): Iterable<string> {
    for (const category of categories) {
      for (const [customerId, times] of this.byCategory.get(`${kind}|${category}`) ?? []) {
        if (times.some((at) => at >= since && at <= until)) yield customerId;
      }
    }
  }

  /** A scan of every profile, like tiers: moments are a handful a year. */
  *customersWithTags(tags: readonly string[]): Iterable<string> {
    for (const [customerId, profile] of this.profiles) {
      if (profile.tags?.some((tag) => tags.includes(tag))) yield customerId;
    }
  }

  *interactions(sku: string, kinds: readonly Interaction[], since: number, until: number): Iterable<string> {
    for (const kind of kinds) {
      for (const [customerId, times] of this.bySku.get(sku)?.get(kind) ?? []) {
        if (times.some((at) => at >= since && at <= until)) yield customerId;
      }
    }
  }

  /** A scan of every profile: catalog events are rare next to customer events, so no tier index. */
  *customersInTiers(tiers: readonly string[]): Iterable<string> {
    for (const [customerId, profile] of this.profiles) {
      if (profile.loyaltyTier !== undefined && tiers.includes(profile.loyaltyTier)) yield customerId;
    }
  }
}
