import type { Collection } from 'mongodb';
import { POPULATION_SAMPLE_SIZE } from '../engine/triggers/cadence';
import type { ReorderSample } from '../engine/triggers/timerCommands';
import { setIfNewer } from './setIfNewer';

/**
 * One buyer's own reorder interval for a product (`_id` `<sku>|<customerId>`): the product's
 * population median is taken over the most recent of these. One per buyer, so a heavy buyer counts
 * once, and written over only by a later purchase, so routing an order again changes nothing.
 */
export interface ReorderSampleRecord {
  _id: string;
  sku: string;
  customerId: string;
  days: number;
  at: Date;
}

export async function recordReorderSample(
  samples: Collection<ReorderSampleRecord>,
  sample: ReorderSample,
): Promise<void> {
  const { sku, customerId, days, at } = sample;
  await setIfNewer(samples, `${sku}|${customerId}`, 'at', new Date(at), {
    sku,
    customerId,
    days,
    at: new Date(at),
  });
}

/** The product's buyers' intervals, the most recent POPULATION_SAMPLE_SIZE (index `sku_recent`). */
export async function populationDays(
  samples: Collection<ReorderSampleRecord>,
  sku: string,
): Promise<number[]> {
  const recent = await samples
    .find({ sku }, { projection: { days: 1 } })
    .sort({ at: -1, _id: 1 })
    .limit(POPULATION_SAMPLE_SIZE)
    .toArray();
  return recent.map((sample) => sample.days);
}
