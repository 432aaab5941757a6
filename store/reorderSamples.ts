import type { Collection } from 'mongodb';
import { withSample, type PopulationSample } from '../engine/triggers/population';
import type { ReorderSample } from '../engine/triggers/timerCommands';
import { upsertRacing } from './upsert';

/**
 * One buyer's own reorder interval for a product (`_id` `<sku>|<customerId>`), as stored before
 * the populations below existed: nothing writes these any more; the `reorder-populations` migration
 * reads them once. (Keeping them up to date cost a query over the whole collection per sample.)
 */
export interface ReorderSampleRecord {
  _id: string;
  sku: string;
  customerId: string;
  days: number;
  at: Date;
}

/**
 * A product's population (`_id` = SKU): its most recent buyers' own intervals, one per buyer,
 * newest first (engine/triggers/population.ts). One point read per product an order contains, where
 * a query for the product's samples read every stored sample on FerretDB 1.24.
 */
export interface ReorderPopulationRecord {
  _id: string;
  samples: { customerId: string; days: number; at: Date }[];
}

function held(record: ReorderPopulationRecord | null): PopulationSample[] {
  return (record?.samples ?? []).map(({ customerId, days, at }) => ({ customerId, days, at: at.getTime() }));
}

async function store(
  populations: Collection<ReorderPopulationRecord>,
  sku: string,
  next: readonly PopulationSample[],
): Promise<void> {
  const samples = next.map(({ customerId, days, at }) => ({ customerId, days, at: new Date(at) }));
  await upsertRacing(() => populations.updateOne({ _id: sku }, { $set: { samples } }, { upsert: true }));
}

/**
 * Adds a buyer's sample to the product's population: read, merge, write by `_id`. Different
 * customers' orders write one product's population, so the caller serialises the writes to one SKU
 * (router/computedTriggers.ts); two router processes writing one SKU at the same instant can lose
 * one of the two samples, which costs the median one of its fifty and is made good by the buyer's
 * next purchase.
 */
export async function recordReorderSample(
  populations: Collection<ReorderPopulationRecord>,
  sample: ReorderSample,
): Promise<void> {
  const { sku, customerId, days, at } = sample;
  const next = withSample(held(await populations.findOne({ _id: sku })), { customerId, days, at });
  if (next !== undefined) await store(populations, sku, next);
}

/** The product's buyers' intervals, the most recent POPULATION_SAMPLE_SIZE, newest first. */
export async function populationDays(
  populations: Collection<ReorderPopulationRecord>,
  sku: string,
): Promise<number[]> {
  return held(await populations.findOne({ _id: sku })).map((sample) => sample.days);
}

/**
 * Builds the populations from the per-buyer samples stored before them (run once per database, by
 * store/migrations.ts), merged into what is held already.
 */
export async function backfillReorderPopulations(
  samples: Collection<ReorderSampleRecord>,
  populations: Collection<ReorderPopulationRecord>,
): Promise<number> {
  const found = new Map<string, PopulationSample[]>();
  for await (const { sku, customerId, days, at } of samples.find({})) {
    const population = found.get(sku) ?? [];
    found.set(sku, withSample(population, { customerId, days, at: at.getTime() }) ?? population);
  }
  for (const [sku, population] of found) {
    let next = held(await populations.findOne({ _id: sku }));
    for (const sample of population) next = withSample(next, sample) ?? next;
    await store(populations, sku, next);
  }
  return found.size;
}
