import { countByType, generateDemoStore } from '../tools/demo/generate';
import { writeDemoFiles } from '../tools/demo/files';
import { InvalidPolicyError, loadSeasons } from '../schemas/policy/load';
import { UsageError, type CliCommand } from './command';
import { parseOptions } from './options';

const DEFAULTS = {
  out: '.data/demo-store',
  customers: '1000',
  days: '90',
  seed: '42',
  start: '2026-09-01T00:00:00Z',
};

function options(args: readonly string[]): typeof DEFAULTS & { seasons?: string } {
  const kinds = {
    out: 'string',
    customers: 'string',
    days: 'string',
    seed: 'string',
    start: 'string',
    seasons: 'string',
  } as const;
  return { ...DEFAULTS, ...parseOptions(args, kinds).values };
}

function wholeNumber(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name}: expected a whole number ≥ ${min}, got "${value}"`);
  return n;
}

/**
 * `journeys demo generate`: writes a synthetic store (events with customers first, catalog,
 * offers) that `journeys simulate` and `journeys events publish` replay. The default window ends
 * after Black Friday, so the shipped calendar's moment falls inside it.
 */
export const demoGenerate: CliCommand = {
  words: ['demo', 'generate'],
  args: '[--out <dir>] [--customers N] [--days 90] [--seed S] [--start <iso>] [--seasons <file>]',
  summary: 'write a synthetic store (customers, catalog, offers, 90 days of events) for simulate to replay',
  run(args, io) {
    const opts = options(args);
    const start = Date.parse(opts.start);
    if (Number.isNaN(start)) throw new UsageError(`--start: "${opts.start}" is not an ISO-8601 instant`);
    let seasons;
    try {
      seasons = loadSeasons(opts.seasons);
    } catch (error) {
      if (!(error instanceof InvalidPolicyError)) throw error;
      io.err(error.message);
      return 2;
    }
    const store = generateDemoStore({
      customers: wholeNumber('customers', opts.customers, 1),
      days: wholeNumber('days', opts.days, 7),
      seed: wholeNumber('seed', opts.seed, 0),
      start,
      seasons,
    });
    const files = writeDemoFiles(opts.out, store);
    const counts = Object.entries(countByType(store.events))
      .map(([type, n]) => `${type}=${n}`)
      .join(' ');
    io.out(
      `wrote ${store.events.length} events (${counts}) to ${files.events}; ` +
        `${store.catalog.products.length} products in ${store.catalog.categories.length} categories to ${files.catalog}; ` +
        `${store.offers.length} offers to ${files.offers}`,
    );
    io.out(
      `replay: journeys simulate ${files.events} --offers ${files.offers} --policy policy/workspace.yaml`,
    );
    return 0;
  },
};
