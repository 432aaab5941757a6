import type { JourneyEvent } from '../../schemas/events/schema';
import type { Condition } from '../../schemas/playbook/schema';
import type { OfferDecision } from '../offers/offer';
import type { Product } from '../catalog/product';
import { renamedTo } from '../events/renamedFields';
import type { Profile } from '../profile/profile';

/**
 * What conditions and templates can read: `event.…`, `trigger.…`, `profile.…`, `offer.…`; and, in a
 * send step's recheck, `product.…` and `sinceTrigger.…`.
 */
export interface EvalContext {
  event?: JourneyEvent;
  trigger?: JourneyEvent;
  profile?: Profile;
  offer?: OfferDecision | null;
  product?: Product;
  sinceTrigger?: { ordered: boolean };
}

/**
 * The value at a dotted path such as `trigger.data.items`, or undefined. A part that is an event
 * field's old name reads the field under its new name when there is nothing under the old one, so a
 * playbook written before the renames of issue 15 reads the same value (engine/events/renamedFields.ts).
 */
export function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    const record = current as Record<string, unknown>;
    current = record[part];
    const now = current === undefined ? renamedTo(part) : undefined;
    if (now !== undefined) current = record[now];
  }
  return current;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

/** Conditions are total: a missing field makes a comparison false rather than throwing. */
export function evaluate(condition: Condition, context: EvalContext): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluate(c, context));
  if ('any' in condition) return condition.any.some((c) => evaluate(c, context));
  if ('not' in condition) return !evaluate(condition.not, context);

  const actual = valueAt(context, condition.field);
  switch (condition.op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'missing':
      return actual === undefined || actual === null;
    case 'empty':
      return isEmpty(actual);
    case 'notEmpty':
      return !isEmpty(actual);
    case 'in':
      return condition.value.some((v) => v === actual);
    case 'nin':
      return actual !== undefined && !condition.value.some((v) => v === actual);
    case 'contains': {
      const needle = operand(condition.value, context);
      const { key } = condition;
      if (Array.isArray(actual) && key !== undefined)
        return needle !== undefined && actual.some((item: unknown) => valueAt(item, key) === needle);
      if (Array.isArray(actual)) return actual.includes(needle);
      return typeof actual === 'string' && typeof needle === 'string' && actual.includes(needle);
    }
    default: {
      const expected = operand(condition.value, context);
      if (condition.op === 'eq') return actual !== undefined && actual === expected;
      if (condition.op === 'ne') return actual !== expected;
      const order = compare(actual, expected);
      if (order === undefined) return false;
      if (condition.op === 'gt') return order > 0;
      if (condition.op === 'gte') return order >= 0;
      if (condition.op === 'lt') return order < 0;
      return order <= 0;
    }
  }
}

function operand(value: unknown, context: EvalContext): unknown {
  if (value !== null && typeof value === 'object' && 'ref' in value) {
    return valueAt(context, (value as { ref: string }).ref);
  }
  return value;
}
