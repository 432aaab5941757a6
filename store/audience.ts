import type { AbstractCursor } from 'mongodb';
import { CATEGORY_EVENT, INTERACTION_EVENT, type FanOutPlan } from '../engine/triggers/fanOut';
import type { Collections } from './collections';

/*
 * The customers a fan-out plan reaches, streamed from MongoDB: each source is a cursor sorted by
 * customer ID and read a page at a time, and the sources are merged on the fly, so a million
 * wishlisters never sit in memory at once. Indexes: `events.sku_interactions`,
 * `events.category_orders`, `events.category_views`, `profiles.loyaltyTier` and `profiles.tags`
 * (store/collections.ts).
 */

/** Documents per cursor batch: one round trip per page of customers. */
export const AUDIENCE_PAGE_SIZE = 500;

/** MongoDB's order for strings (UTF-8 bytes), which the merge must follow to drop repeats. */
function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

async function* idsOf(cursor: AbstractCursor<{ _id: string }>): AsyncGenerator<string> {
  try {
    for await (const document of cursor) yield document._id;
  } finally {
    await cursor.close();
  }
}

/** Customers who wishlisted or viewed the SKU in the window, each once, in customer ID order. */
function interactedCustomers(
  { events }: Collections,
  sku: string,
  interactions: NonNullable<FanOutPlan['interactions']>,
  pageSize: number,
): AsyncGenerator<string> {
  const cursor = events.aggregate<{ _id: string }>(
    [
      {
        $match: {
          'payload.data.sku': sku,
          type: { $in: interactions.kinds.map((kind) => INTERACTION_EVENT[kind]) },
          occurredAt: { $gte: new Date(interactions.since), $lte: new Date(interactions.until) },
        },
      },
      { $group: { _id: '$customerId' } },
      { $sort: { _id: 1 } },
    ],
    // A popular SKU's viewers can outgrow the in-memory limit of $group and $sort.
    { allowDiskUse: true, batchSize: pageSize },
  );
  return idsOf(cursor);
}

/** Customers whose loyalty tier is one of `tiers`, in customer ID order. */
function customersInTiers(
  { profiles }: Collections,
  tiers: string[],
  pageSize: number,
): AsyncGenerator<string> {
  const cursor = profiles.find(
    { loyaltyTier: { $in: tiers } },
    { projection: { _id: 1 }, sort: { _id: 1 }, batchSize: pageSize },
  );
  return idsOf(cursor);
}

/** Where each category activity keeps its categories in the stored event. */
const CATEGORY_FIELD = {
  ordered: 'payload.data.items.category',
  viewed: 'payload.data.category',
} as const;

/** Customers who ordered or viewed one of the categories in the window, each once, in ID order. */
function categoryCustomers(
  { events }: Collections,
  { kind, categories, since, until }: NonNullable<FanOutPlan['categories']>[number],
  pageSize: number,
): AsyncGenerator<string> {
  const cursor = events.aggregate<{ _id: string }>(
    [
      {
        $match: {
          type: CATEGORY_EVENT[kind],
          [CATEGORY_FIELD[kind]]: { $in: categories },
          occurredAt: { $gte: new Date(since), $lte: new Date(until) },
        },
      },
      { $group: { _id: '$customerId' } },
      { $sort: { _id: 1 } },
    ],
    { allowDiskUse: true, batchSize: pageSize },
  );
  return idsOf(cursor);
}

/** Customers whose profile carries one of `tags`, in customer ID order. */
function customersWithTags(
  { profiles }: Collections,
  tags: string[],
  pageSize: number,
): AsyncGenerator<string> {
  const cursor = profiles.find(
    { tags: { $in: tags } },
    { projection: { _id: 1 }, sort: { _id: 1 }, batchSize: pageSize },
  );
  return idsOf(cursor);
}

/** Merges streams sorted by `compareIds` into one sorted stream with each ID once. */
async function* mergeSorted(sources: AsyncIterator<string>[]): AsyncGenerator<string> {
  try {
    const heads = await Promise.all(sources.map((source) => source.next()));
    let last: string | undefined;
    for (;;) {
      let smallest: string | undefined;
      for (const head of heads) {
        if (!head.done && (smallest === undefined || compareIds(head.value, smallest) < 0)) {
          smallest = head.value;
        }
      }
      if (smallest === undefined) return;
      if (smallest !== last) yield smallest;
      last = smallest;
      await Promise.all(
        heads.map(async (head, i) => {
          if (!head.done && head.value === smallest) heads[i] = await sources[i]!.next();
        }),
      );
    }
  } finally {
    // Stopped early (a failed fan-out): close the cursors still open.
    await Promise.all(sources.map(async (source) => source.return?.()));
  }
}

/** The customers a plan reaches: sorted by customer ID, each once, read in pages. */
export function audienceOf(
  collections: Collections,
  plan: FanOutPlan,
  pageSize = AUDIENCE_PAGE_SIZE,
): AsyncGenerator<string> {
  const sources: AsyncGenerator<string>[] = [];
  if (plan.interactions && plan.sku !== undefined)
    sources.push(interactedCustomers(collections, plan.sku, plan.interactions, pageSize));
  if (plan.tiers) sources.push(customersInTiers(collections, plan.tiers, pageSize));
  for (const activity of plan.categories ?? [])
    sources.push(categoryCustomers(collections, activity, pageSize));
  if (plan.tags) sources.push(customersWithTags(collections, plan.tags, pageSize));
  return mergeSorted(sources);
}
