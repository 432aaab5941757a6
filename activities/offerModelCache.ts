import type { Collection } from 'mongodb';
import { parseDuration } from '../engine/time/duration';
import { buildCatalogIndex } from '../engine/offers/catalogIndex';
import type { OfferModel } from '../engine/offers/decide';
import { engagementFromDaily } from '../engine/offers/learning';
import type { OfferSettings } from '../schemas/policy/schema';
import type { OfferOutcomeRecord } from '../store/collections';
import { dailyOutcomes, dayOf, offerUsage } from '../store/offerOutcomes';
import type { OfferRecord } from '../store/offers';

export interface OfferModelSources {
  offers: Collection<OfferRecord>;
  outcomes: Collection<OfferOutcomeRecord>;
  settings: OfferSettings;
  /** How long a loaded model serves decisions before it is read again. */
  refreshMs: number;
  now: () => Date;
}

/** Evidence older than this many half-lives weighs under 1/256: not worth reading. */
const HORIZON_HALF_LIVES = 8;

/**
 * The catalog, the learned engagement and the offers' usage, held in memory so a decision scores
 * in microseconds, and read again from MongoDB once `refreshMs` has passed. A refresh in flight is
 * shared by every decision waiting for it. What a refresh can miss is bounded by `refreshMs`: an
 * offer imported, an engagement learned or a redemption counted a moment ago (so a total cap or a
 * budget can be overrun by what redeems within one refresh; checkout enforces the hard limit).
 */
export class OfferModelCache {
  private loaded?: { model: OfferModel; at: number };
  private refreshing?: Promise<OfferModel>;

  constructor(private readonly sources: OfferModelSources) {}

  async model(): Promise<OfferModel> {
    const now = this.sources.now().getTime();
    if (this.loaded !== undefined && now - this.loaded.at < this.sources.refreshMs) return this.loaded.model;
    this.refreshing ??= this.load(now).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async load(now: number): Promise<OfferModel> {
    const { offers, outcomes, settings } = this.sources;
    const halfLifeMs = parseDuration(settings.halfLife) ?? 30 * 86_400_000;
    const since = dayOf(new Date(now - HORIZON_HALF_LIVES * halfLifeMs));
    const [catalog, daily, usage] = await Promise.all([
      offers.find({ active: true }, { projection: { _id: 0 } }).toArray(),
      dailyOutcomes(outcomes, since),
      offerUsage(outcomes),
    ]);
    const model: OfferModel = {
      index: buildCatalogIndex(catalog),
      engagement: engagementFromDaily(daily, now, halfLifeMs),
      usage,
      settings,
    };
    this.loaded = { model, at: now };
    return model;
  }
}
