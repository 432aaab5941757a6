import type { JourneyEvent } from '../../schemas/events/schema';
import type { Offer } from '../../schemas/offers/schema';
import type { SeasonCalendar } from '../../schemas/policy/seasons';
import { demoStoreCatalog, isConsumable, type DemoStoreCatalog } from './catalog';
import { launchProducts, planCatalog, writeCatalogEvents } from './catalogEvents';
import { DAY } from './context';
import { demoCustomers } from './customers';
import { EventLog } from './eventLog';
import { live } from './lifecycle';
import { demoOffers } from './offers';
import { Rng } from './rng';
import { momentsInWindow, writeSeasonEvents } from './seasons';
import { shop } from './shopping';

/*
 * `journeys demo generate`: a synthetic store, the same for the same options. Pure: the command
 * writes the files (tools/demo/files.ts), tests call this directly.
 */

export interface DemoOptions {
  customers: number;
  days: number;
  seed: number;
  /** The window's first instant, epoch ms. */
  start: number;
  /** The seasonal calendar whose moments in the window become season.started events; none if absent. */
  seasons?: SeasonCalendar;
}

export interface DemoStore {
  catalog: DemoStoreCatalog;
  offers: Offer[];
  /** Customers first (all at the window's start), then everything else, in time order. */
  events: JourneyEvent[];
}

export function generateDemoStore(options: DemoOptions): DemoStore {
  // Separate streams: more customers must not change the catalog, nor the catalog the customers.
  const catalogRng = new Rng(options.seed);
  const rng = new Rng(options.seed ^ 0x5eed);
  const end = options.start + options.days * DAY;
  const log = new EventLog(options.start, end);
  const catalog = demoStoreCatalog(catalogRng);
  const ctx = {
    rng,
    log,
    catalog,
    days: options.days,
    shoppable: catalog.products.filter((p) => !isConsumable(p)),
    consumables: catalog.products.filter(isConsumable),
    counters: new Map<string, number>(),
  };
  const launched = launchProducts(ctx);
  catalog.products.push(...launched);
  const moments = options.seasons === undefined ? [] : momentsInWindow(options.seasons, options.start, end);
  const plan = planCatalog({ ...ctx, rng: catalogRng }, launched, moments[0]?.at);
  const customers = demoCustomers(rng, options.customers, log);
  writeCatalogEvents({ ...ctx, rng: catalogRng }, plan);
  writeSeasonEvents(log, moments);
  for (const customer of customers) {
    shop(ctx, customer);
    live(ctx, customer, plan);
  }
  return { catalog, offers: demoOffers(options.seed, options.start, end), events: log.sorted() };
}

/** Events per type, sorted by type: the command's summary and the test's coverage check. */
export function countByType(events: readonly JourneyEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) counts[event.type] = (counts[event.type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}
