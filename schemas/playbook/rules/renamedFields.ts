import { TemplateSyntaxError, parseTemplate, templateReferences } from '../../../engine/template';
import type { EventType } from '../../events/schema';
import type { InputIssue } from '../../issues';
import { lookupEventField } from '../eventFields';
import type { Condition, EventMatcher, Playbook, Template } from '../schema';
import { pathParts } from '../variables';

/*
 * A playbook that reads an event field by its name from before the renames of issue 15
 * (`this.unitPrice`, `event.data.channel` on an order…) still works: the engine reads the value
 * under the new name (engine/events/renamedFields.ts). It is reported as a warning that names the
 * new field, never as an error, so a file that was accepted before is still accepted.
 */

interface Read {
  at: string;
  /** As the validator reads it: root-anchored (`trigger.data.x`) or, with `types`, relative (`data.x`). */
  path: string;
  /** The template tag that reads it, for the message. */
  written?: string;
  /** For a relative path, the event types it is read in. */
  types?: EventType[];
}

function conditionReads(condition: Condition, at: string): Read[] {
  if ('all' in condition) return condition.all.flatMap((c, i) => conditionReads(c, `${at}.all[${i}]`));
  if ('any' in condition) return condition.any.flatMap((c, i) => conditionReads(c, `${at}.any[${i}]`));
  if ('not' in condition) return conditionReads(condition.not, `${at}.not`);
  const field =
    'key' in condition && condition.key !== undefined
      ? `${condition.field}[].${condition.key}`
      : condition.field;
  const reads: Read[] = [{ at: `${at}.field`, path: field }];
  if ('value' in condition && typeof condition.value === 'object' && !Array.isArray(condition.value))
    reads.push({ at: `${at}.value.ref`, path: condition.value.ref });
  return reads;
}

function matcherReads(
  matcher: EventMatcher,
  at: string,
  trigger: EventType,
): (Read & { event: EventType })[] {
  return [
    ...(matcher.where ? conditionReads(matcher.where, `${at}.where`) : []),
    ...(matcher.matchTriggerOn
      ? [{ at: `${at}.matchTriggerOn`, path: matcher.matchTriggerOn, types: [matcher.event, trigger] }]
      : []),
  ].map((read) => ({ ...read, event: matcher.event }));
}

function templateReads(name: string, template: Template): Read[] {
  return (['subject', 'text', 'html', 'sms'] as const).flatMap((field) => {
    const source = template[field];
    if (source === undefined) return [];
    try {
      return templateReferences(parseTemplate(source)).map((reference) => ({
        at: `templates.${name}.${field}`,
        path: reference.path,
        written: `"${reference.tag}"`,
      }));
    } catch (error) {
      if (error instanceof TemplateSyntaxError) return []; // reported by rules/templateContent.ts
      throw error;
    }
  });
}

function joinParts(parts: readonly string[]): string {
  return parts.reduce((out, part) => (part === '[]' ? `${out}[]` : out === '' ? part : `${out}.${part}`), '');
}

function renameWarning(read: Read & { event?: EventType }, trigger: EventType): InputIssue | undefined {
  const [root = '', ...rest] = pathParts(read.path);
  const relative = read.types !== undefined;
  const type = relative
    ? undefined
    : root === 'trigger'
      ? trigger
      : root === 'event'
        ? read.event
        : undefined;
  const types = read.types ?? (type ? [type] : []);
  const parts = relative ? [root, ...rest] : rest;
  for (const candidate of new Set(types)) {
    const lookup = lookupEventField(candidate, parts);
    if (!lookup.found || lookup.renamed.length === 0) continue;
    const now = [...parts];
    for (const { at, now: name } of lookup.renamed) now[at.length - 1] = name;
    const prefix = relative ? [] : [root];
    const olds = lookup.renamed.map(({ at, now: name }) => `${at[at.length - 1]} is now ${name}`).join(', ');
    return {
      path: read.at,
      message:
        `${read.written ? `${read.written} ` : ''}reads ${joinParts([...prefix, ...parts])} by an old name (${olds}, ` +
        `issue 15): it still reads the value, but write ${joinParts([...prefix, ...now])}`,
    };
  }
  return undefined;
}

export function renamedFieldWarnings(playbook: Playbook): InputIssue[] {
  const trigger = playbook.trigger.event;
  const reads: (Read & { event?: EventType })[] = [
    ...matcherReads(playbook.trigger, 'trigger', trigger),
    ...(playbook.audience ? conditionReads(playbook.audience, 'audience') : []),
    ...(playbook.entry.key ? [{ at: 'entry.key', path: playbook.entry.key, types: [trigger] }] : []),
    ...(playbook.exit?.goals.flatMap((goal, i) => matcherReads(goal, `exit.goals[${i}]`, trigger)) ?? []),
    ...matcherReads(playbook.success.metric, 'success.metric', trigger),
    ...playbook.steps.flatMap((step, index): (Read & { event?: EventType })[] => {
      if (step.type === 'waitForEvent') return matcherReads(step, `steps[${index}]`, trigger);
      if (step.type === 'branch')
        return step.cases.flatMap((c, i) => conditionReads(c.when, `steps[${index}].cases[${i}].when`));
      if (step.type === 'send')
        return (step.recheck ?? []).flatMap((c, i) => conditionReads(c, `steps[${index}].recheck[${i}]`));
      return [];
    }),
    ...Object.entries(playbook.templates).flatMap(([name, template]) => templateReads(name, template)),
  ];
  const seen = new Set<string>();
  return reads.flatMap((read) => {
    const warning = renameWarning(read, trigger);
    if (!warning) return [];
    const key = `${warning.path}\n${warning.message}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [warning];
  });
}
