import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { offersJson } from '../../schemas/offers/writeCatalog';
import type { DemoStore } from './generate';

/*
 * The demo store on disk. Customers are not a file of their own: their `customer.upserted` events
 * open events.ndjson, so `journeys simulate` and `journeys events publish` build every
 * profile before any behaviour reaches a playbook, with no extra flag.
 */

export interface DemoFiles {
  events: string;
  catalog: string;
  offers: string;
}

export function demoFileContents(store: DemoStore): Record<keyof DemoFiles, string> {
  return {
    events: store.events.map((event) => JSON.stringify(event)).join('\n') + '\n',
    catalog: `${JSON.stringify(store.catalog, null, 2)}\n`,
    offers: offersJson(store.offers),
  };
}

export function writeDemoFiles(dir: string, store: DemoStore): DemoFiles {
  mkdirSync(dir, { recursive: true });
  const files: DemoFiles = {
    events: join(dir, 'events.ndjson'),
    catalog: join(dir, 'catalog.json'),
    offers: join(dir, 'offers.json'),
  };
  const contents = demoFileContents(store);
  for (const key of Object.keys(files) as (keyof DemoFiles)[]) writeFileSync(files[key], contents[key]);
  return files;
}
