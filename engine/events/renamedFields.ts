/*
 * Event fields renamed by issue 15 ("one name for one thing"), old → new. Events in the old form
 * are still accepted: normaliseEvent (./normalise.ts) rewrites them at every door an event comes in
 * by (publishing, the MongoDB inbox, a workflow's input and signals), and playbooks that still read
 * an old name keep reading the value under its new one (readField below, and the validator's field
 * lookup in schemas/playbook/eventFields.ts).
 *
 * A retired name is never given a new meaning: the old form is told apart from the new by the
 * names alone, which is why events carry no schema version of their own.
 */

export interface RenamedField {
  /** The event types whose data had the field. */
  types: readonly string[];
  /** Where it sits under `data`, lists as `[]`, ending in the old name. */
  path: string;
  /** The new name, at the same place. */
  now: string;
  /** When the value's form changed as well as its name. */
  value?: string;
}

export const RENAMED_EVENT_FIELDS: readonly RenamedField[] = [
  // Every price in an event is what one unit costs, named `price`; order items always said so.
  { types: ['cart.updated', 'checkout.started'], path: 'items[].unitPrice', now: 'price' },
  // `channel` is the message channel (email | sms) everywhere else.
  { types: ['order.placed'], path: 'channel', now: 'salesChannel' },
  // The profile and customer.lapsed say lastOrderAt.
  { types: ['replenishment.due'], path: 'lastOrderedAt', now: 'lastOrderAt' },
  // A window an admin writes is a duration like the playbook DSL's (`365d`), not a bare number.
  {
    types: ['season.started'],
    path: 'cohort.ordered.withinDays',
    now: 'within',
    value: 'a number of days becomes a duration: 365 → 365d',
  },
  {
    types: ['season.started'],
    path: 'cohort.viewed.withinDays',
    now: 'within',
    value: 'a number of days becomes a duration: 365 → 365d',
  },
];

/** The name a field path ends in: `unitPrice` for `items[].unitPrice`. */
export function lastName(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/**
 * Old name → new name, for reading a field by a name a playbook wrote before the rename. Only the
 * renames that kept the value: `withinDays` changed its form, so reading it by the old name would
 * give a duration where a number was.
 */
const READABLE_OLD_NAMES: ReadonlyMap<string, string> = new Map(
  RENAMED_EVENT_FIELDS.filter((field) => field.value === undefined).map((field) => [
    lastName(field.path),
    field.now,
  ]),
);

/**
 * The new name of a field a playbook may still read by its old one, or undefined. Path readers
 * (conditions, templates) try it when a record has nothing under the old name: a playbook
 * published, or a run started, before the rename reads the same value from an event in the new form.
 */
export function renamedTo(name: string): string | undefined {
  return READABLE_OLD_NAMES.get(name);
}
