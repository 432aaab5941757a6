import type { z } from 'zod';
import { JourneyEvent, type EventType } from '../../events/schema';
import type { InputIssue } from '../../issues';
import type { Playbook } from '../schema';

/*
 * A `waitUntilDate` step reads a time from the trigger; it must name a field the trigger event
 * carries as a timestamp, or the run would wake at once on every entry without anyone noticing.
 */

type Schema = z.core.$ZodType;

const EVENT_SCHEMAS = new Map<string, Schema>(
  JourneyEvent.options.map((option) => [option.shape.type.value, option as Schema]),
);

function unwrap(schema: Schema): Schema {
  let current = schema;
  for (let def = current._zod.def as { innerType?: Schema }; def.innerType;) {
    current = def.innerType;
    def = current._zod.def as { innerType?: Schema };
  }
  return current;
}

/** The timestamp fields of an event type, as `data.renewsAt`-style paths (occurredAt included). */
export function timestampFields(type: EventType): string[] {
  const found: string[] = [];
  const walk = (schema: Schema, path: string): void => {
    const def = unwrap(schema)._zod.def as { type: string; format?: string; shape?: Record<string, Schema> };
    if (def.type === 'string' && def.format === 'datetime') found.push(path);
    if (def.type === 'object' && def.shape)
      for (const [key, child] of Object.entries(def.shape)) walk(child, path ? `${path}.${key}` : key);
  };
  const schema = EVENT_SCHEMAS.get(type);
  if (schema) walk(schema, '');
  return found;
}

export function dateWaitIssues(playbook: Playbook): InputIssue[] {
  const issues: InputIssue[] = [];
  const trigger = playbook.trigger.event;
  playbook.steps.forEach((step, index) => {
    if (step.type !== 'waitUntilDate') return;
    const fields = timestampFields(trigger);
    const path = step.date.replace(/^trigger\./, '');
    if (step.date.startsWith('trigger.') && fields.includes(path)) return;
    issues.push({
      path: `steps[${index}].date`,
      message:
        `${step.date} is not a time the trigger carries: a ${trigger} has ` +
        (fields.length > 0 ? fields.map((f) => `trigger.${f}`).join(', ') : 'no timestamp field') +
        ' (the wait continues at that time plus offset)',
    });
  });
  return issues;
}
