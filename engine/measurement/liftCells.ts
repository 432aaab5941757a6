import type { Playbook } from '../../schemas/playbook/schema';
import { murmur3 } from '../ids/hash';
import type { Arm } from './holdout';
import { addOutcome, emptyArm, type ArmData, type CustomerOutcome } from './liftTally';

/*
 * The rollup `journeys report lift` reads instead of the inbox: per playbook and UTC day of entry,
 * one cell holding, per arm, the sums tallyPlaybook would add up for the entries of that day.
 * Each entry's contribution sits in the part of the previous entry's day of the same customer
 * ('none' for a first entry), because the report counts a customer once, by their first entry in
 * the range: an entry on a day in [from, to) is that first entry exactly when the customer's
 * previous entry lies before `from`. So a range of whole UTC days folds to the same sums as the
 * batch tally over the same entries. Pure: store/liftCells.ts writes and reads the documents.
 */

/** The part of a cell for entries without an earlier entry of the same customer. */
export const FIRST_ENTRY = 'none';

/** What one arm of one part sums; absent fields are 0 (cells are built by increments). */
export interface CellArm extends Partial<ArmData> {
  unpricedEngagements?: number;
  /** Customers by the currencies of their window's orders: counts, so a change can take one back. */
  currencies?: Record<string, number>;
  /** Customers by the holdout epoch that assigned their arm. */
  holdoutEpochs?: Record<string, number>;
  /** Customers by the success definition (successKey) that judged them. */
  judgedBy?: Record<string, number>;
}

/** A cell's parts: by the previous entry's day (or FIRST_ENTRY), then by arm. */
export type CellParts = Record<string, Partial<Record<Arm, CellArm>>>;

/** The UTC day of an instant, as cells are keyed: `2026-10-01`. Sorts as the days do. */
export function dayOf(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** A stable short key of a success definition, whatever order its fields were stored in. */
export function successKey(success: Playbook['success'] | null): string {
  if (success === null) return FIRST_ENTRY;
  const canonical = (value: unknown): unknown =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
        )
      : Array.isArray(value)
        ? value.map(canonical)
        : value;
  return murmur3(JSON.stringify(canonical(success)))
    .toString(16)
    .padStart(8, '0');
}

/** What identifies an entry's contribution besides its outcome. */
export interface EntryFacts {
  arm: Arm;
  holdoutEpoch: number;
  judgedBy: string;
}

/**
 * The increments (dotted paths inside the arm) that move a cell from `before` to `after` for one
 * entry; `before` absent: the entry is not counted yet, so it adds the customer too. Zeros are
 * left out, so a repeated event changes nothing.
 */
export function entryDelta(
  facts: EntryFacts,
  before: CustomerOutcome | undefined,
  after: CustomerOutcome,
): Record<string, number> {
  const sums = emptyArm();
  if (before) addOutcome(sums, before, -1);
  addOutcome(sums, after);
  const delta: Record<string, number> = { ...sums, customers: before ? 0 : 1 };
  if (!before) {
    delta[`holdoutEpochs.${facts.holdoutEpoch}`] = 1;
    delta[`judgedBy.${facts.judgedBy}`] = 1;
  }
  if ((before?.unpricedEngagements ?? 0) !== after.unpricedEngagements)
    delta.unpricedEngagements = after.unpricedEngagements - (before?.unpricedEngagements ?? 0);
  for (const currency of new Set([...(before?.currencies ?? []), ...after.currencies])) {
    const change =
      Number(after.currencies.includes(currency)) - Number(!!before?.currencies.includes(currency));
    if (change !== 0) delta[`currencies.${currency}`] = change;
  }
  return Object.fromEntries(Object.entries(delta).filter(([, value]) => value !== 0));
}

/** Applies a delta to parts held in memory, as the server applies `$inc` (the rebuild's cells). */
export function applyDelta(
  parts: CellParts,
  previousDay: string,
  arm: Arm,
  delta: Record<string, number>,
): void {
  const part = (parts[previousDay] ??= {});
  const sums = (part[arm] ??= {}) as Record<string, unknown>;
  for (const [path, value] of Object.entries(delta)) {
    const [field, key] = path.split('.') as [string, string | undefined];
    if (key === undefined) sums[field] = ((sums[field] as number | undefined) ?? 0) + value;
    else {
      const counts = (sums[field] ??= {}) as Record<string, number>;
      counts[key] = (counts[key] ?? 0) + value;
    }
  }
}

/** What the cells of a range add up to for one playbook. */
export interface FoldedCells {
  arms: Record<Arm, ArmData>;
  currencies: string[];
  holdoutEpochs: number[];
  judgedBy: string[];
  unpricedEngagements: number;
}

/**
 * Sums the cells of entry days in [fromDay, toDay) (either open), counting only the parts whose
 * entries are the customer's first in the range: first entries, and, with a `fromDay`, entries
 * whose previous one came before it.
 */
export function foldCells(
  cells: Iterable<{ day: string; parts: CellParts }>,
  fromDay: string | undefined,
  toDay: string | undefined,
): FoldedCells {
  const arms: Record<Arm, ArmData> = { treatment: emptyArm(), control: emptyArm() };
  const counts = { currencies: new Map<string, number>(), holdoutEpochs: new Map<string, number>() };
  const judgedBy = new Map<string, number>();
  let unpricedEngagements = 0;
  const tally = (into: Map<string, number>, from: Record<string, number> | undefined) => {
    for (const [key, n] of Object.entries(from ?? {})) into.set(key, (into.get(key) ?? 0) + n);
  };
  for (const { day, parts } of cells) {
    if ((fromDay !== undefined && day < fromDay) || (toDay !== undefined && day >= toDay)) continue;
    for (const [previousDay, part] of Object.entries(parts)) {
      if (previousDay !== FIRST_ENTRY && (fromDay === undefined || previousDay >= fromDay)) continue;
      for (const arm of ['treatment', 'control'] as const) {
        const sums = part[arm];
        if (!sums) continue;
        const into = arms[arm];
        for (const field of Object.keys(into) as (keyof ArmData)[]) into[field] += sums[field] ?? 0;
        unpricedEngagements += sums.unpricedEngagements ?? 0;
        tally(counts.currencies, sums.currencies);
        tally(counts.holdoutEpochs, sums.holdoutEpochs);
        tally(judgedBy, sums.judgedBy);
      }
    }
  }
  const present = (map: Map<string, number>) => [...map].filter(([, n]) => n > 0).map(([key]) => key);
  return {
    arms,
    currencies: present(counts.currencies).sort(),
    holdoutEpochs: present(counts.holdoutEpochs)
      .map(Number)
      .sort((a, b) => a - b),
    judgedBy: present(judgedBy).sort(),
    unpricedEngagements,
  };
}
