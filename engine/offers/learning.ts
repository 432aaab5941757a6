/*
 * What the offer model has learned: how often each offer was shown and engaged with, per context
 * (the basket's primary category), with old evidence fading by a half-life so tastes that change
 * are followed. Outcomes arrive rolled up per day; this turns them into decayed counts, and counts
 * into the Beta belief that Thompson sampling draws from.
 */

/** Shown and engaged counts, decayed to the model's `asOf` instant (so not whole numbers). */
export interface EngagementCounts {
  shown: number;
  engaged: number;
}

/** One offer's outcomes in one context on one UTC day. */
export interface DailyOutcomes {
  offerId: string;
  contextKey: string;
  /** Days since the epoch, UTC. */
  day: number;
  shown: number;
  engaged: number;
}

/** The context key under which an offer's counts over all contexts are kept. */
export const ALL_CONTEXTS = '*';

export const engagementKey = (offerId: string, contextKey: string): string => `${offerId}|${contextKey}`;

const DAY = 86_400_000;

/**
 * Decayed counts keyed `${offerId}|${contextKey}`, plus offer-level totals keyed `${offerId}|*`.
 *
 * A day's outcomes weigh 0.5 ** ((asOf − end of that day) / halfLife): they are dated at the end
 * of their day, the latest they can be, so today's partial row (and any day ending after asOf)
 * weighs exactly 1 and a row never weighs more than 1. Rows of days that start after asOf have not
 * happened yet as far as the model is concerned and are left out, so a model rebuilt "as of" an
 * earlier instant (a replay, the simulator) sees only what was known then. A half-life of 0 keeps
 * only the current day.
 */
export function engagementFromDaily(
  rows: readonly DailyOutcomes[],
  asOf: number,
  halfLifeMs: number,
): Map<string, EngagementCounts> {
  const counts = new Map<string, EngagementCounts>();
  const add = (key: string, shown: number, engaged: number): void => {
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { shown, engaged });
    else {
      entry.shown += shown;
      entry.engaged += engaged;
    }
  };
  for (const row of rows) {
    if (row.day * DAY > asOf) continue;
    const age = asOf - (row.day + 1) * DAY;
    const weight = age <= 0 ? 1 : halfLifeMs > 0 ? 0.5 ** (age / halfLifeMs) : 0;
    if (weight === 0) continue;
    const shown = row.shown * weight;
    const engaged = row.engaged * weight;
    add(engagementKey(row.offerId, row.contextKey), shown, engaged);
    add(engagementKey(row.offerId, ALL_CONTEXTS), shown, engaged);
  }
  // Regrouped now, while the model loads, rather than by the first decision that reads it.
  engagementByOffer(counts);
  return counts;
}

/**
 * Before any evidence an offer is believed to engage about 5% of the time (Beta(1, 19)): low
 * enough that an unproven offer does not outrank a proven one by luck alone, wide enough that a
 * few engagements move it.
 */
export const BASE_PRIOR = { alpha: 1, beta: 19 } as const;

/**
 * How many observations the offer's record in other contexts may count for, at most: enough to
 * start a new context from what the offer does elsewhere, little enough that this context's own
 * evidence soon outweighs it.
 */
export const MAX_PRIOR_WEIGHT = 10;

/** The Beta belief about one offer's engagement in one context, and the evidence behind it. */
export interface EngagementBelief {
  alpha: number;
  beta: number;
  /** Decayed showings in this context. */
  shown: number;
  engaged: number;
  /** Decayed showings in other contexts, before they were shrunk into the prior. */
  shownElsewhere: number;
}

/** An offer's counts by context key (`*` for all contexts). */
export type OfferEngagement = ReadonlyMap<string, EngagementCounts>;

// Built once per engagement map (a model lives for a refresh): a decision then looks counts up by
// the offer's and the context's own strings, whose hashes V8 caches, instead of hashing a freshly
// concatenated `${offerId}|${contextKey}` for each of hundreds of offers. A map is read-only once
// decisions read it (OfferModel's is a ReadonlyMap); a change of size still rebuilds, as a guard.
const byOfferCache = new WeakMap<
  ReadonlyMap<string, EngagementCounts>,
  { size: number; byOffer: Map<string, Map<string, EngagementCounts>> }
>();

/** The engagement map regrouped by offer ID, then context key; memoised per map. */
export function engagementByOffer(
  engagement: ReadonlyMap<string, EngagementCounts>,
): ReadonlyMap<string, OfferEngagement> {
  const known = byOfferCache.get(engagement);
  if (known !== undefined && known.size === engagement.size) return known.byOffer;
  const byOffer = new Map<string, Map<string, EngagementCounts>>();
  for (const [key, counts] of engagement) {
    const cut = key.lastIndexOf('|');
    if (cut < 0) continue;
    const offerId = key.slice(0, cut);
    let contexts = byOffer.get(offerId);
    if (contexts === undefined) byOffer.set(offerId, (contexts = new Map<string, EngagementCounts>()));
    contexts.set(key.slice(cut + 1), counts);
  }
  byOfferCache.set(engagement, { size: engagement.size, byOffer });
  return byOffer;
}

const PRIOR_ONLY: Readonly<EngagementBelief> = { ...BASE_PRIOR, shown: 0, engaged: 0, shownElsewhere: 0 };
const NOT_SHOWN: EngagementCounts = { shown: 0, engaged: 0 };

/**
 * Beta(α, β) for an offer in a context: the base prior, plus the offer's record in other contexts
 * shrunk to at most MAX_PRIOR_WEIGHT observations, plus this context's counts at full weight.
 * The offer-level total includes this context, so it is subtracted first (not counted twice).
 * Given `into`, the belief is written there (ranking hundreds of offers allocates nothing); the
 * result is read-only either way, as an offer without evidence gets the shared prior.
 */
export function engagementBelief(
  offer: OfferEngagement | undefined,
  contextKey: string,
  into?: EngagementBelief,
): Readonly<EngagementBelief> {
  if (offer === undefined) return PRIOR_ONLY;
  const here = offer.get(contextKey) ?? NOT_SHOWN;
  const all = offer.get(ALL_CONTEXTS);
  const shownElsewhere = Math.max(0, (all?.shown ?? 0) - here.shown);
  const engagedElsewhere = Math.min(shownElsewhere, Math.max(0, (all?.engaged ?? 0) - here.engaged));
  const shrink = shownElsewhere > MAX_PRIOR_WEIGHT ? MAX_PRIOR_WEIGHT / shownElsewhere : 1;
  // Engagements can outnumber showings in a decayed window (an engagement a day after its showing);
  // clamping keeps β a valid shape.
  const engaged = Math.min(here.engaged, here.shown);
  const belief = into ?? { ...PRIOR_ONLY };
  belief.alpha = BASE_PRIOR.alpha + engagedElsewhere * shrink + engaged;
  belief.beta = BASE_PRIOR.beta + (shownElsewhere - engagedElsewhere) * shrink + (here.shown - engaged);
  belief.shown = here.shown;
  belief.engaged = engaged;
  belief.shownElsewhere = shownElsewhere;
  return belief;
}
