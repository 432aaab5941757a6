import { z } from 'zod';

/*
 * A behaviour cohort: whom a seasonal moment reaches. The workspace calendar (policy/seasons.yaml)
 * defines one per moment, and `season.started` carries it, so the client (MongoDB) and the
 * simulator (in-memory) fan the event out by the same rule from the event alone (engine/triggers/fanOut.ts).
 *
 * A customer is in the cohort when any one criterion holds (a union, like the catalog fan-out's
 * sources); a playbook narrows it further with its `audience`.
 *
 * Compatibility: the event carries this shape, so the rules of schemas/events/schema.ts apply to it.
 */

const Category = z.string().min(1);
const Days = z.number().int().positive().max(3650);

/** Customers who did something in one of these categories within the last `withinDays`. */
const Behaviour = z.strictObject({
  categories: z.array(Category).min(1).max(50),
  withinDays: Days,
});

export const Cohort = z
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
export type Cohort = z.infer<typeof Cohort>;
