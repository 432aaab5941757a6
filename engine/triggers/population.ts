import { POPULATION_SAMPLE_SIZE } from './cadence';

/*
 * A product's population of buyers' own reorder intervals, kept as one bounded list: the most
 * recent POPULATION_SAMPLE_SIZE buyers' samples, one per buyer. Pure: the store keeps the list.
 *
 * The list is exactly the top of every buyer's latest sample (what a query over one record per
 * buyer, newest first, returned): a buyer's sample only ever moves to a later purchase, so a
 * buyer missing from a full list has no sample newer than its last, and a sample of theirs that
 * ranks below the last is one that query would not have returned either.
 */

/** One buyer's own interval for the product, measured at their purchase `at` (epoch ms). */
export interface PopulationSample {
  customerId: string;
  days: number;
  at: number;
}

/** Newest first; ties by customer ID (the order of the per-buyer records' `<sku>|<customerId>` keys). */
function byRecency(a: PopulationSample, b: PopulationSample): number {
  return b.at - a.at || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0);
}

/**
 * The population with `sample`: it replaces the buyer's own unless that one is later, and the most
 * recent POPULATION_SAMPLE_SIZE are kept, newest first. Undefined when nothing changes (the same
 * sample again, an older one, or one too old to rank), so routing an order again writes nothing.
 */
export function withSample(
  population: readonly PopulationSample[],
  sample: PopulationSample,
): PopulationSample[] | undefined {
  const own = population.find((held) => held.customerId === sample.customerId);
  if (own !== undefined && (own.at > sample.at || (own.at === sample.at && own.days === sample.days)))
    return undefined;
  const next = [...population.filter((held) => held !== own), sample]
    .sort(byRecency)
    .slice(0, POPULATION_SAMPLE_SIZE);
  return next.includes(sample) ? next : undefined;
}
