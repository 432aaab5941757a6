import type { z } from 'zod';
import { closest } from '../playbook/suggest';
import { toInputIssue, type InputIssue } from '../issues';
import { DiscountOffer, FreeShippingOffer, GiftOffer, Offer, OFFER_KINDS, PartnerOffer } from './schema';

/*
 * One offer row checked against the schema, with zod's messages reworded for the people who keep
 * the catalog in a spreadsheet: "required" rather than "expected string, received undefined", and
 * a "did you mean" for a misspelt kind or field.
 */

const FIELD_NAMES = [
  ...new Set(
    [DiscountOffer, FreeShippingOffer, GiftOffer, PartnerOffer].flatMap((option) =>
      Object.keys(option.shape),
    ),
  ),
];

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

function reword(issue: z.core.$ZodIssue, row: unknown): InputIssue {
  const base = toInputIssue(issue);
  if (issue.code === 'invalid_type') {
    const missing = /received undefined$/.test(issue.message);
    return {
      path: base.path,
      message: missing ? 'required' : `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`,
    };
  }
  if (issue.code === 'invalid_union' && issue.path.join('.') === 'kind') {
    const kind = typeof row === 'object' && row !== null ? (row as { kind?: unknown }).kind : undefined;
    if (kind === undefined) return { path: 'kind', message: `required: one of ${OFFER_KINDS.join(', ')}` };
    const suggestion = typeof kind === 'string' ? closest(kind, OFFER_KINDS) : undefined;
    return {
      path: 'kind',
      message:
        `${JSON.stringify(kind)} is not a kind of offer: expected one of ${OFFER_KINDS.join(', ')}` +
        (suggestion ? ` (did you mean "${suggestion}"?)` : ''),
    };
  }
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const suggestion = closest(key, FIELD_NAMES);
    return {
      path: base.path,
      message: `unknown field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
    };
  }
  return base;
}

export type OfferCheck = { offer: Offer; issues?: never } | { offer?: never; issues: InputIssue[] };

/** Parses one row; every problem is reported, not just the first. */
export function validateOffer(row: unknown): OfferCheck {
  const result = Offer.safeParse(row);
  if (result.success) return { offer: result.data };
  return { issues: result.error.issues.map((issue) => reword(issue, row)) };
}
