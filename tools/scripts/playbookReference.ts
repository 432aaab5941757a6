import { DURATION_PATTERN } from '../../engine/time/duration';
import { EVENT_TYPES } from '../../schemas/events/schema';
import { playbookJsonSchema } from '../../schemas/playbook/jsonSchema';
import { SCHEMA_VERSION_1_RENAMES } from '../../schemas/playbook/schemaV1';

/*
 * The DSL reference (docs/playbook-reference.md), rendered from the JSON Schema that zod 4's own
 * z.toJSONSchema writes for the playbook schema (schemas/playbook/jsonSchema.ts): every field, its
 * type, default and description come from schemas/playbook/schema.ts, so the page cannot say
 * anything the validator does not. The rules between fields (step references, template variables,
 * waits against maxDuration) are the validator's, described in the authors' guide.
 */

type Node = Record<string, unknown>;

const STEP_ORDER = [
  'WaitStep',
  'WaitUntilStep',
  'WaitUntilDateStep',
  'WaitForEventStep',
  'BranchStep',
  'DecideOfferStep',
  'SendStep',
  'UpdateStep',
  'ExitStep',
];

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const code = (value: unknown): string => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

/** Text for a table cell: one line, `|` escaped. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

/** Where a `$ref` is explained on the page. */
function refLink(ref: string): string {
  const name = ref.split('/').at(-1) ?? ref;
  if (name === 'Condition') return '[condition](#conditions)';
  const step = name.replace(/Step$/, '');
  return `[${step.charAt(0).toLowerCase()}${step.slice(1)} step](#${step.toLowerCase()})`;
}

/** A short type, e.g. `` `skip` \| `defer` ``, "whole number, 0–1000", "list of condition". */
function typeOf(node: Node): string {
  if (typeof node.$ref === 'string') return refLink(node.$ref);
  if (Array.isArray(node.allOf) && node.allOf.length === 1 && isNode(node.allOf[0]))
    return typeOf(node.allOf[0]);
  if ('const' in node) return code(node.const);
  const values: unknown = node.enum;
  if (Array.isArray(values)) {
    const isEventType = values.length === EVENT_TYPES.length && EVENT_TYPES.every((t) => values.includes(t));
    return isEventType ? '[event type](#event-types)' : values.map(code).join(' | ');
  }
  if (node.pattern === DURATION_PATTERN.source) return 'duration';
  const union = node.anyOf ?? node.oneOf;
  if (Array.isArray(union)) return union.filter(isNode).map(typeOf).join(', or ');
  const type = node.type;
  if (Array.isArray(type)) return type.map((t) => (t === 'string' ? 'text' : String(t))).join(', ');
  switch (type) {
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    case 'number':
    case 'integer': {
      const word = type === 'integer' ? 'whole number' : 'number';
      const unbounded = typeof node.maximum !== 'number' || node.maximum >= Number.MAX_SAFE_INTEGER;
      const low =
        typeof node.exclusiveMinimum === 'number' ? `more than ${node.exclusiveMinimum}` : undefined;
      if (unbounded)
        return low
          ? `${word}, ${low}`
          : typeof node.minimum === 'number'
            ? `${word}, at least ${node.minimum}`
            : word;
      return typeof node.minimum === 'number' ? `${word}, ${node.minimum}–${String(node.maximum)}` : word;
    }
    case 'array': {
      const items = isNode(node.items) ? typeOf(node.items) : 'value';
      return `list of ${items}${node.minItems === 1 ? ' (at least one)' : ''}`;
    }
    case 'object':
      if (isNode(node.properties)) return 'object (below)';
      if (isNode(node.additionalProperties)) return `map of name → ${typeOf(node.additionalProperties)}`;
      return 'object';
    default:
      return 'value';
  }
}

function describe(node: Node): string {
  const parts = [typeof node.description === 'string' ? node.description : ''];
  const examples = Array.isArray(node.examples) ? node.examples : [];
  // Examples of a bare scalar field say more than a description's "e.g."; objects stay in the prose.
  const shown = examples.filter((e) => typeof e !== 'object' || e === null).slice(0, 3);
  if (shown.length > 0 && !isNode(node.properties)) parts.push(`Example: ${shown.map(code).join(', ')}.`);
  return cell(parts.filter(Boolean).join(' '));
}

function requirement(name: string, node: Node, required: readonly string[]): string {
  if ('default' in node) return `default ${code(node.default)}`;
  return required.includes(name) ? 'required' : 'optional';
}

/** The object schema a field holds, if any: itself, its list items, or its map values. */
function objectWithin(node: Node): { node: Node; suffix: string } | undefined {
  if (isNode(node.properties)) return { node, suffix: '' };
  if (node.type === 'array' && isNode(node.items) && isNode(node.items.properties)) {
    return { node: node.items, suffix: '[]' };
  }
  if (isNode(node.additionalProperties) && isNode(node.additionalProperties.properties)) {
    return { node: node.additionalProperties, suffix: '.<name>' };
  }
  return undefined;
}

/** A table of an object's fields, then a section for each field that is itself an object. */
function objectSection(path: string, node: Node, level: number, out: string[], nest = true): void {
  const properties = isNode(node.properties) ? node.properties : {};
  const required = Array.isArray(node.required) ? (node.required as string[]) : [];
  out.push('| field | type | | meaning |', '| --- | --- | --- | --- |');
  const nested: [string, Node][] = [];
  for (const [name, value] of Object.entries(properties)) {
    if (!isNode(value) || name === '$schema') continue;
    const steps = path === '' && name === 'steps';
    const type = steps ? 'list of [steps](#steps) (at least one)' : typeOf(value);
    out.push(`| \`${name}\` | ${cell(type)} | ${requirement(name, value, required)} | ${describe(value)} |`);
    const inner = steps || !nest ? undefined : objectWithin(value);
    if (inner) nested.push([`${path}${path ? '.' : ''}${name}${inner.suffix}`, inner.node]);
  }
  out.push('');
  for (const [childPath, child] of nested) {
    out.push(`${'#'.repeat(level)} \`${childPath}\``, '');
    if (typeof child.description === 'string') out.push(child.description, '');
    objectSection(childPath, child, level + 1, out);
  }
}

function stepsSection(definitions: Node, out: string[]): void {
  out.push(
    '## Steps',
    '',
    'Every step has an `id` and a `type`; the `type` says which other fields it has. A step without',
    '`next` goes on to the step below it (`branch`, `waitForEvent` and `exit` say where to go instead).',
    '',
  );
  for (const name of STEP_ORDER) {
    const step = definitions[name];
    if (!isNode(step) || !isNode(step.properties)) continue;
    const type = isNode(step.properties.type) ? String(step.properties.type.const) : name;
    out.push(`### \`${type}\` step`, '');
    if (typeof step.description === 'string') out.push(step.description, '');
    objectSection('', step, 4, out);
  }
}

function conditionsSection(condition: Node, out: string[]): void {
  out.push('## Conditions', '');
  if (typeof condition.description === 'string') out.push(condition.description, '');
  const shapes = Array.isArray(condition.anyOf) ? condition.anyOf.filter(isNode) : [];
  for (const shape of shapes) {
    const properties = isNode(shape.properties) ? shape.properties : {};
    const op = isNode(properties.op) ? properties.op : undefined;
    const title = op ? `op: ${typeOf(op)}` : Object.keys(properties).map(code).join(', ');
    out.push(`### ${title}`, '');
    // A `{ ref: … }` value is described in its row.
    objectSection('', shape, 4, out, false);
  }
}

function compatibilitySection(out: string[]): void {
  out.push(
    '## Compatibility',
    '',
    '`schemaVersion` says which form a file is written in. This page describes form 2. A file without',
    '`schemaVersion`, or with `schemaVersion: 1`, is read in the form before it and upgraded as it is',
    'read (it may already use the new names); a file that says `schemaVersion: 2` must use the new',
    'names, and the validator names the new one for each old one. Versions published in the old form',
    'keep working and keep their content hash (publishing their unchanged file again is a no-op), and',
    'runs that entered with one go on as they were. What changed from 1 to 2:',
    '',
    '| schemaVersion 1 | schemaVersion 2 | why |',
    '| --- | --- | --- |',
    ...SCHEMA_VERSION_1_RENAMES.map((r) => `| ${cell(r.old)} | ${cell(r.current)} | ${cell(r.why)} |`),
    '',
    'Three numbers, three names: `schemaVersion` is the form of the file; `version` is the playbook’s',
    'own version (v1, v2…), which you raise when you change a published playbook; the content hash',
    '`publish` prints names the exact content stored. `journeys playbooks activate <id> --version 3`',
    'takes the version, `--hash 5191497` the start of a content hash.',
    '',
  );
}

/** The page, before formatting. */
export function playbookReferenceMarkdown(): string {
  const schema = playbookJsonSchema() as Node;
  const definitions = isNode(schema.definitions) ? schema.definitions : {};
  const out: string[] = [
    '# Playbook reference',
    '',
    '<!-- Generated from schemas/playbook/schema.ts by `npm run playbooks:reference`; do not edit. -->',
    '',
    'Every field a playbook file may have, with its type, its default and what it means: generated',
    'from the schema the validator uses, so it cannot drift from it. How to write a playbook, and the',
    'rules between fields, are in the authors’ guide, [playbooks/README.md](../playbooks/README.md).',
    'Durations are written `90s`, `15m`, `1h`, `2d` or `1w`.',
    '',
    '## Playbook',
    '',
  ];
  objectSection('', schema, 3, out);
  stepsSection(definitions, out);
  if (isNode(definitions.Condition)) conditionsSection(definitions.Condition, out);
  out.push('## Event types', '', 'What `trigger.event`, a goal or a `waitForEvent` may name:', '');
  out.push(EVENT_TYPES.map(code).join(', '), '');
  compatibilitySection(out);
  return out.join('\n');
}
