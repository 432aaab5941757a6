/**
 * `npx tsx tools/scripts/generateOffers.ts [--partners 5000] [--own 200] [--seed 42] [--out offers-demo]`
 * writes <out>.json and <out>.csv, the same demo catalog in both formats `journeys offers import`
 * reads.
 */
import { writeFileSync } from 'node:fs';
import { demoCatalog } from '../demo/offerCatalog';
import { offersCsv, offersJson } from '../../schemas/offers/writeCatalog';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function count(name: string, fallback: string): number {
  const value = Number(arg(name, fallback));
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name}: expected a whole number, got ${arg(name, fallback)}`);
  return value;
}

const out = arg('out', 'offers-demo');
const offers = demoCatalog({
  seed: count('seed', '42'),
  ownOffers: count('own', '200'),
  partnerOffers: count('partners', '5000'),
});
writeFileSync(`${out}.json`, offersJson(offers));
writeFileSync(`${out}.csv`, offersCsv(offers));
console.error(`wrote ${offers.length} offers to ${out}.json and ${out}.csv`);
