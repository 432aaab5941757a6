/**
 * Offer decision speed, scoring only: the demo catalog (200 own + 5,000 partner offers by default)
 * and a learned engagement map held in memory, as the decideOffer activity and the simulator hold
 * them. Requests are demo baskets of 1–4 items, random loyalty tiers and instants within the
 * catalog's validity span. Prints the index build time and per-decision latency percentiles.
 * `npx tsx tools/bench/offers.ts [--decisions 20000] [--partners 5000] [--own 200] [--keys 4000]`;
 * tools/bench/main.ts calls benchOffers() for its decisions section.
 */
import { availableParallelism, loadavg } from 'node:os';
import { DEMO_CATEGORIES } from '../../engine/offers/offerCategories.data';
import { basketOf, type BasketLine } from '../../engine/offers/basket';
import { buildCatalogIndex } from '../../engine/offers/catalogIndex';
import { decideOffer, type OfferModel, type OfferRequest, type OfferUsage } from '../../engine/offers/decide';
import { engagementFromDaily, type DailyOutcomes } from '../../engine/offers/learning';
import { mulberry32, type Random } from '../../engine/random/mulberry32';
import { demoCatalog, LOYALTY_TIERS } from '../demo/offerCatalog';
import { OfferSettings } from '../../schemas/policy/schema';
import { percentile } from './harness/stats';

const DAY = 86_400_000;
const START = Date.parse('2026-11-01T00:00:00Z'); // demoCatalog's default start

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: Random, low: number, high: number): number =>
  low + Math.floor(random() * (high - low + 1));
const ms = (from: bigint, to: bigint): number => Number(to - from) / 1e6;

/** A month of daily outcomes for `keys` random (offer, context) pairs, engagement around 1–10%. */
function dailyRows(random: Random, offerIds: readonly string[], keys: number, asOf: number): DailyOutcomes[] {
  const rows: DailyOutcomes[] = [];
  const today = Math.floor(asOf / DAY);
  for (let k = 0; k < keys; k++) {
    const offerId = pick(random, offerIds);
    const contextKey = pick(random, DEMO_CATEGORIES).id;
    const rate = 0.01 + random() * 0.09;
    for (let d = 0; d < 30; d++) {
      const shown = int(random, 0, 20);
      let engaged = 0;
      for (let s = 0; s < shown; s++) if (random() < rate) engaged += 1;
      rows.push({ offerId, contextKey, day: today - d, shown, engaged });
    }
  }
  return rows;
}

/** Some offers already part-used: redemptions and spend short of (and a few past) their caps. */
function usageOf(random: Random, offerIds: readonly string[]): Map<string, OfferUsage> {
  const usage = new Map<string, OfferUsage>();
  for (const offerId of offerIds)
    if (random() < 0.3) usage.set(offerId, { redemptions: int(random, 0, 3000), spent: random() * 15_000 });
  return usage;
}

function request(random: Random, i: number, offerIds: readonly string[]): OfferRequest {
  const lines: BasketLine[] = Array.from({ length: int(random, 1, 4) }, () => {
    const category = pick(random, DEMO_CATEGORIES);
    const [low, high] = category.price;
    return { category: category.id, price: low + random() * (high - low), quantity: int(random, 1, 2) };
  });
  const grants: Record<string, number> = {};
  for (let g = int(random, 0, 3); g > 0; g--) grants[pick(random, offerIds)] = 1;
  const tier = random() < 0.8 ? pick(random, LOYALTY_TIERS) : undefined;
  return {
    decisionKey: `bench:${i}`,
    customerId: `c${int(random, 1, 50_000)}`,
    // Within the catalog's span: offers start between 30 days before and 30 days after START.
    at: START - 15 * DAY + Math.floor(random() * 75 * DAY),
    ...(tier !== undefined && { loyaltyTier: tier }),
    basket: basketOf(lines, settings),
    customerGrants: grants,
  };
}

const settings = OfferSettings.parse({});

export interface OfferRunFigures {
  label: string;
  decisions: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /**
   * The same per decision in process CPU time: on a busy machine a wall-clock tail includes time
   * the process was not scheduled at all; the CPU tail is the decision's own cost.
   */
  cpuMs: { p50: number; p99: number };
  meanWallMs: number;
  meanCpuMs: number;
  offeredShare: number;
  exploredShare: number;
  consideredPerDecision: number;
  eligiblePerDecision: number;
  kinds: Record<string, number>;
}

export interface OfferBenchFigures {
  ownOffers: number;
  partnerOffers: number;
  indexBuildMs: number;
  engagementKeys: number;
  learnMs: number;
  runs: OfferRunFigures[];
  loadAverage: number;
}

export interface OfferBenchOptions {
  decisions: number;
  own: number;
  partners: number;
  keys: number;
}

/** Builds the catalog and model, warms up, then times decisions over all kinds and partner-only. */
export function benchOffers(options: OfferBenchOptions): OfferBenchFigures {
  const random = mulberry32(20_261_101);
  const catalog = demoCatalog({ ownOffers: options.own, partnerOffers: options.partners });
  const offerIds = catalog.map((offer) => offer.offerId);

  let started = process.hrtime.bigint();
  const index = buildCatalogIndex(catalog);
  const indexBuildMs = ms(started, process.hrtime.bigint());
  const asOf = START + 30 * DAY;
  const rows = dailyRows(random, offerIds, options.keys, asOf);
  started = process.hrtime.bigint();
  const engagement = engagementFromDaily(rows, asOf, 30 * DAY);
  const learnMs = ms(started, process.hrtime.bigint());
  const model: OfferModel = { index, engagement, usage: usageOf(random, offerIds), settings };

  const requests = Array.from({ length: options.decisions }, (_, i) => request(random, i, offerIds));
  const warmup = Math.min(2000, options.decisions);
  for (let i = 0; i < warmup; i++) decideOffer(model, { ...requests[i]!, decisionKey: `warmup:${i}` });

  return {
    ownOffers: index.size.own,
    partnerOffers: index.size.partner,
    indexBuildMs,
    engagementKeys: engagement.size,
    learnMs,
    runs: [
      run('all kinds', model, requests),
      // A retail-media step: no own offer sets a high bar, so every eligible partner offer is sampled.
      run(
        'partner offers only',
        model,
        requests.map((r) => ({ ...r, kinds: ['partner'] })),
      ),
    ],
    loadAverage: loadavg()[0]!,
  };
}

function run(label: string, model: OfferModel, requests: readonly OfferRequest[]): OfferRunFigures {
  const latencies = new Float64Array(requests.length);
  const cpuTimes = new Float64Array(requests.length);
  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  let offered = 0;
  let explored = 0;
  let considered = 0;
  let eligible = 0;
  const kinds: Record<string, number> = {};
  for (let i = 0; i < requests.length; i++) {
    const cpuAtStart = process.cpuUsage();
    const before = process.hrtime.bigint();
    const decision = decideOffer(model, requests[i]!);
    latencies[i] = ms(before, process.hrtime.bigint());
    const cpuUsed = process.cpuUsage(cpuAtStart);
    cpuTimes[i] = (cpuUsed.user + cpuUsed.system) / 1000;
    if (decision === null) continue;
    offered += 1;
    if (decision.scores.explored) explored += 1;
    considered += decision.scores.considered;
    eligible += decision.scores.eligible;
    kinds[decision.kind] = (kinds[decision.kind] ?? 0) + 1;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const wall = ms(wallBefore, process.hrtime.bigint());
  const sorted = [...latencies].sort((a, b) => a - b);
  const n = requests.length;
  const cpuSorted = [...cpuTimes].sort((a, b) => a - b);
  return {
    label,
    decisions: n,
    latencyMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: percentile(sorted, 100),
    },
    cpuMs: { p50: percentile(cpuSorted, 50), p99: percentile(cpuSorted, 99) },
    meanWallMs: wall / n,
    meanCpuMs: (cpu.user + cpu.system) / 1000 / n,
    offeredShare: offered / Math.max(1, n),
    exploredShare: explored / Math.max(1, offered),
    consideredPerDecision: Math.round(considered / Math.max(1, offered)),
    eligiblePerDecision: Math.round(eligible / Math.max(1, offered)),
    kinds,
  };
}

function print(figures: OfferBenchFigures): void {
  console.log(`catalog: ${figures.ownOffers} own + ${figures.partnerOffers} partner offers`);
  console.log(`index build: ${figures.indexBuildMs.toFixed(1)} ms`);
  console.log(`engagement: ${figures.engagementKeys} keys in ${figures.learnMs.toFixed(1)} ms`);
  const pct = (share: number): string => `${(100 * share).toFixed(1)}%`;
  for (const r of figures.runs) {
    const at = (v: number): string => `${v.toFixed(3)} ms`;
    const l = r.latencyMs;
    console.log(
      `\n${r.label}: ${r.decisions} decisions: p50 ${at(l.p50)}, p90 ${at(l.p90)}, p99 ${at(l.p99)}, max ${at(l.max)}`,
    );
    // On a shared machine wall-clock tails include time the process was not running: the CPU time
    // and the load average tell a slow decision from a busy machine.
    console.log(`  CPU time per decision: p50 ${at(r.cpuMs.p50)}, p99 ${at(r.cpuMs.p99)}`);
    console.log(
      `  mean ${r.meanWallMs.toFixed(3)} ms wall, ${r.meanCpuMs.toFixed(3)} ms CPU; ` +
        `load average ${figures.loadAverage.toFixed(1)} on ${availableParallelism()} CPUs`,
    );
    console.log(
      `  offered ${pct(r.offeredShare)}; explored ${pct(r.exploredShare)} of those offered; per decision ` +
        `${r.consideredPerDecision} considered, ${r.eligiblePerDecision} eligible`,
    );
    const offered = Object.values(r.kinds).reduce((a, b) => a + b, 0);
    const chosen = Object.entries(r.kinds).map(
      ([kind, count]) => `${kind} ${pct(count / Math.max(1, offered))}`,
    );
    console.log(`  kinds chosen: ${chosen.join(', ')}`);
  }
}

if (require.main === module) {
  print(
    benchOffers({
      decisions: arg('decisions', 20_000),
      own: arg('own', 200),
      partners: arg('partners', 5000),
      keys: arg('keys', 4000),
    }),
  );
}
