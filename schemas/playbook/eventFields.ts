import type { z } from 'zod';
import { renamedTo } from '../../engine/events/renamedFields';
import { JourneyEvent, type EventType } from '../events/schema';

/*
 * Which fields an event type has, read from its zod schema in schemas/events/schema.ts so the validator
 * can never disagree with what publishing accepts. Paths are parts such as
 * ['data', 'items', '[]', 'name'], where '[]' stands for "an item of this list".
 */

type Schema = z.core.$ZodType;

export type FieldKind = 'list' | 'object' | 'value';

/** An old name the path used, which still reads the field under its new name. */
export interface RenamedPart {
  /** Where the old name sits, e.g. ['data', 'items', '[]', 'unitPrice']. */
  at: string[];
  now: string;
}

export type FieldLookup =
  | { found: true; kind: FieldKind; renamed: RenamedPart[] }
  | {
      found: false;
      /** The parts that do exist, e.g. ['data'] when `data.cartUrll` is asked for. */
      existing: string[];
      /** The field names available where the walk stopped, for a "did you mean". */
      siblings: string[];
      /** What stopped the walk: an unknown name, a list read without `[]`, or a field of a plain value. */
      stoppedAt: FieldKind;
    };

const EVENT_SCHEMAS = new Map<string, Schema>(
  JourneyEvent.options.map((option) => [option.shape.type.value, option as Schema]),
);

/** Optional, nullable, defaulted, lazy and piped schemas read like what they wrap. */
function unwrap(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    const def = current._zod.def as z.core.$ZodTypeDef & {
      innerType?: Schema;
      getter?: () => Schema;
      in?: Schema;
      out?: Schema;
    };
    if (def.innerType) current = def.innerType;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    // A preprocess (an old form read as the new, e.g. the cohort's withinDays) reads as its output.
    else if (def.type === 'pipe' && def.in?._zod.def.type === 'transform' && def.out) current = def.out;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

function kindOf(schema: Schema): FieldKind {
  const type = unwrap(schema)._zod.def.type;
  if (type === 'array') return 'list';
  if (type === 'object' || type === 'record') return 'object';
  return 'value';
}

/** The schema one part further down, or undefined when `part` is not there. */
function step(schema: Schema, part: string): Schema | undefined {
  const def = unwrap(schema)._zod.def;
  switch (def.type) {
    case 'object': {
      const shape = (def as z.core.$ZodObjectDef).shape;
      const has = (name: string) => Object.prototype.hasOwnProperty.call(shape, name);
      if (has(part)) return shape[part];
      // An old name (`unitPrice`) still reads its field, as the engine does (engine/events/renamedFields.ts).
      const now = renamedTo(part);
      return now !== undefined && has(now) ? shape[now] : undefined;
    }
    case 'array':
      return part === '[]' ? (def as z.core.$ZodArrayDef).element : undefined;
    case 'record':
      // Open-ended keys (attributes, consents): any name is a field.
      return part === '[]' ? undefined : (def as z.core.$ZodRecordDef).valueType;
    case 'union':
      for (const option of (def as z.core.$ZodUnionDef).options) {
        const next = step(option, part);
        if (next) return next;
      }
      return undefined;
    default:
      return undefined;
  }
}

function fieldNames(schema: Schema): string[] {
  const def = unwrap(schema)._zod.def;
  return def.type === 'object' ? Object.keys((def as z.core.$ZodObjectDef).shape) : [];
}

export function isEventType(type: string): type is EventType {
  return EVENT_SCHEMAS.has(type);
}

/** Looks a path up in an event type's envelope (eventId, type, customerId, occurredAt, data.…). */
export function lookupEventField(type: EventType, parts: readonly string[]): FieldLookup {
  let schema = EVENT_SCHEMAS.get(type);
  if (!schema) throw new Error(`no schema for event type ${type}`);
  const renamed: RenamedPart[] = [];
  for (const [index, part] of parts.entries()) {
    const next = step(schema, part);
    const isObject = unwrap(schema)._zod.def.type === 'object';
    const now = next && isObject && !fieldNames(schema).includes(part) ? renamedTo(part) : undefined;
    if (now !== undefined) renamed.push({ at: parts.slice(0, index + 1), now });
    if (!next) {
      return {
        found: false,
        existing: parts.slice(0, index),
        siblings: fieldNames(schema),
        stoppedAt: kindOf(schema),
      };
    }
    schema = next;
  }
  return { found: true, kind: kindOf(schema), renamed };
}
