import type { JourneyEvent } from '../../schemas/events/schema';
import { isRecord, normaliseCohort, rename, renameInItems, type Data } from './oldForms';

/*
 * Rewrites an event in the form from before issue 15 into today's (the renames are listed in
 * ./renamedFields.ts). Pure and idempotent: an event already in the new form comes back unchanged,
 * so every door applies it without knowing where the event came from. The boundary runs it before
 * zod (schemas/events/parse.ts), the store on what it reads from the inbox, and the journey workflow
 * on its input and signals, which may have been recorded in the old form before the upgrade.
 *
 * It never mutates its input (a workflow's recorded input is shared with the SDK) and renames a
 * field only when the new name is absent, so an event that sends both is left for zod to refuse.
 */

const UPGRADES: Readonly<Record<string, (data: Data) => Data>> = {
  'cart.updated': (data) => renameInItems(data, 'unitPrice', 'price'),
  'checkout.started': (data) => renameInItems(data, 'unitPrice', 'price'),
  'order.placed': (data) => rename(data, 'channel', 'salesChannel'),
  'replenishment.due': (data) => rename(data, 'lastOrderedAt', 'lastOrderAt'),
  'season.started': (data) => {
    const cohort = normaliseCohort(data.cohort);
    return cohort === data.cohort ? data : { ...data, cohort };
  },
};

/** Any input, as received: the old form of an event in the new form, anything else as it was. */
export function upgradeEvent(input: unknown): unknown {
  if (!isRecord(input) || typeof input.type !== 'string' || !isRecord(input.data)) return input;
  const upgrade = UPGRADES[input.type];
  if (upgrade === undefined) return input;
  const data = upgrade(input.data);
  return data === input.data ? input : { ...input, data };
}

/** An event typed as today's that may have been recorded in the old form (a history, the inbox). */
export function normaliseEvent<E extends JourneyEvent>(event: E): E {
  return upgradeEvent(event) as E;
}
