/*
 * The rewrites of old field forms that need nothing but the data: this module imports nothing, so
 * the zod definition of a cohort (schemas/events/cohort.ts, at the bottom of the layers) can read
 * `withinDays` through it without pulling the engine up (.dependency-cruiser.cjs, PURE_LEAVES).
 * ./normalise.ts applies them to whole events.
 */

export type Data = Record<string, unknown>;

export function isRecord(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `record` with `from` renamed `to` (and its value mapped), or `record` itself when nothing to do. */
export function rename(
  record: Data,
  from: string,
  to: string,
  map: (value: unknown) => unknown = (v) => v,
): Data {
  if (!(from in record) || to in record) return record;
  const { [from]: value, ...rest } = record;
  return { ...rest, [to]: map(value) };
}

export function renameInItems(data: Data, from: string, to: string): Data {
  const items = data.items;
  if (!Array.isArray(items)) return data;
  const renamed = items.map((item: unknown) => (isRecord(item) ? rename(item, from, to) : item));
  return renamed.some((item, i) => item !== items[i]) ? { ...data, items: renamed } : data;
}

/** A bare number of days as the duration the DSL writes; anything else is left for zod to judge. */
function daysAsDuration(value: unknown): unknown {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? `${value}d` : value;
}

/** A behaviour cohort's `withinDays: 365` as `within: 365d` (policy/seasons.yaml and season.started). */
export function normaliseCohort(cohort: unknown): unknown {
  if (!isRecord(cohort)) return cohort;
  let out = cohort;
  for (const kind of ['ordered', 'viewed'] as const) {
    const behaviour = out[kind];
    if (!isRecord(behaviour)) continue;
    const renamed = rename(behaviour, 'withinDays', 'within', daysAsDuration);
    if (renamed !== behaviour) out = { ...out, [kind]: renamed };
  }
  return out;
}
