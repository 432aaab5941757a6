import { z } from 'zod';
import { normaliseCohort } from '../../engine/events/oldForms';
import { DURATION_PATTERN, parseDuration } from '../../engine/time/duration';

/*
 * A behaviour cohort: whom a seasonal moment reaches. The workspace calendar (policy/seasons.yaml)
 * defines one per moment, and `season.started` carries it, so the client (MongoDB) and the
 * simulator (in-memory) fan the event out by the same rule from the event alone (engine/triggers/fanOut.ts).
 *
 * A customer is in the cohort when any one criterion holds (a union, like the catalog fan-out's
 * sources); a playbook narrows it further with its `audience`.
 *
 * Compatibility: the event carries this shape, so the rules of schemas/events/schema.ts apply to it.
 * `within` was `withinDays`, a bare number of days; that form is still read (policy/seasons.yaml,
 * Schedules synced before the rename) and becomes `within: <n>d`.
 */

const Category = z.string().min(1);
const MAX_WINDOW_MS = 3650 * 86_400_000;

/** How far back a behaviour counts, written as the playbook DSL writes a duration: `30d`, `52w`. */
const Window = z
  .string()
  .regex(DURATION_PATTERN, 'expected a duration such as 30d or 52w')
  .refine((text) => (parseDuration(text) ?? 0) > 0 && (parseDuration(text) ?? 0) <= MAX_WINDOW_MS, {
    message: 'expected a window longer than zero and at most 3650d',
  });

/** Customers who did something in one of these categories within the last `within`. */
const Behaviour = z.strictObject({
  categories: z.array(Category).min(1).max(50),
  within: Window.describe('How far back it counts, a duration such as 365d (was withinDays: 365).'),
});

const CohortShape = z
  .strictObject({
    /** Placed an order with an item of one of these categories. */
    ordered: Behaviour.optional(),
    /** Viewed a product of one of these categories. */
    viewed: Behaviour.optional(),
    /** Has one of these loyalty tiers. */
    tiers: z.array(z.string().min(1)).min(1).max(20).optional(),
    /** Carries one of these profile tags. */
    tags: z.array(z.string().min(1)).min(1).max(50).optional(),
  })
  .refine((c) => c.ordered ?? c.viewed ?? c.tiers ?? c.tags, {
    message: 'empty: say whom it reaches with ordered, viewed, tiers or tags',
  });

/** Reads `withinDays: 365` as `within: 365d` before checking, for files and Schedules from before. */
export const Cohort = z.preprocess(normaliseCohort, CohortShape);
export type Cohort = z.infer<typeof CohortShape>;
