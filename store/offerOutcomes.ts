import type { Collection } from 'mongodb';
import type { DailyOutcomes } from '../engine/offers/learning';
import { isDuplicateKeyError } from './duplicateKey';
import type { OfferOutcomeRecord } from './collections';

const DAY = 86_400_000;

export const dayOf = (at: Date): number => Math.floor(at.getTime() / DAY);

/** Records one outcome; the same business event recorded again is the one outcome (false). */
export async function recordOutcome(
  outcomes: Collection<OfferOutcomeRecord>,
  outcome: Omit<OfferOutcomeRecord, 'day'>,
): Promise<boolean> {
  try {
    await outcomes.insertOne({ ...outcome, day: dayOf(outcome.at) });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/**
 * Shown and engaged counts per offer, context and day since `sinceDay`: the learned state, rolled
 * up in the database so a refresh reads one row per offer, context and day, not every outcome.
 */
export async function dailyOutcomes(
  outcomes: Collection<OfferOutcomeRecord>,
  sinceDay: number,
): Promise<DailyOutcomes[]> {
  const rows = await outcomes
    .aggregate<{ _id: { offerId: string; contextKey: string; day: number; type: string }; n: number }>([
      { $match: { type: { $in: ['shown', 'engaged'] }, day: { $gte: sinceDay } } },
      {
        $group: {
          _id: { offerId: '$offerId', contextKey: '$contextKey', day: '$day', type: '$type' },
          n: { $sum: 1 },
        },
      },
    ])
    .toArray();
  const byKey = new Map<string, DailyOutcomes>();
  for (const { _id, n } of rows) {
    const key = `${_id.offerId}|${_id.contextKey}|${_id.day}`;
    let row = byKey.get(key);
    if (row === undefined) {
      row = { offerId: _id.offerId, contextKey: _id.contextKey, day: _id.day, shown: 0, engaged: 0 };
      byKey.set(key, row);
    }
    if (_id.type === 'shown') row.shown += n;
    else row.engaged += n;
  }
  return [...byKey.values()];
}

export interface OfferUsageTotals {
  redemptions: number;
  spent: number;
}

/** Per offer, all time: redemptions (own) or paid events (partner), and what they cost or earned. */
export async function offerUsage(
  outcomes: Collection<OfferOutcomeRecord>,
): Promise<Map<string, OfferUsageTotals>> {
  const rows = await outcomes
    .aggregate<{ _id: string; n: number; spent: number }>([
      { $match: { type: { $in: ['redeemed', 'paid'] } } },
      { $group: { _id: '$offerId', n: { $sum: 1 }, spent: { $sum: '$amount' } } },
    ])
    .toArray();
  return new Map(rows.map((row) => [row._id, { redemptions: row.n, spent: row.spent }]));
}
