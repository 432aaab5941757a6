import type { z } from 'zod';
import { formatPath, toInputIssue, type InputIssue } from '../issues';
import { oldFormIssue } from './formHints';
import { Comparison, Condition, Contains, Membership, Presence, Step } from './schema';
import { closest } from './suggest';

/*
 * zod's messages, reworded where they would leave a CRM author guessing: a missing field says
 * "required", a misspelt option gets a "did you mean", and a condition that matches none of the
 * condition shapes is checked against the one its `op` asks for instead of "Invalid input".
 */

type Issue = z.core.$ZodIssue;
type Path = PropertyKey[];

const STEP_TYPES = Step.options.map((option) => option.shape.type.value);
const OPS: Record<string, z.ZodType> = { contains: Contains };
for (const schema of [Comparison, Membership, Presence]) {
  for (const op of schema.shape.op.options) OPS[op] = schema;
}
const CONDITION_SHAPES =
  'expected a condition: { field, op, value }, { field, op } for exists/missing/empty/notEmpty, ' +
  '{ all: [conditions] }, { any: [conditions] } or { not: condition }';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function didYouMean(value: unknown, options: readonly string[]): string {
  const suggestion = typeof value === 'string' ? closest(value, options) : undefined;
  return suggestion ? ` (did you mean "${suggestion}"?)` : '';
}

function conditionIssues(raw: unknown, path: Path): InputIssue[] {
  if (!isRecord(raw)) return [{ path: formatPath(path), message: CONDITION_SHAPES }];
  for (const combinator of ['all', 'any'] as const) {
    if (!(combinator in raw)) continue;
    const list = raw[combinator];
    const others = Object.keys(raw).filter((key) => key !== combinator);
    if (others.length > 0) {
      return [
        {
          path: formatPath([...path, others[0] ?? '']),
          message: `unknown field next to ${combinator} (not allowed here)`,
        },
      ];
    }
    if (!Array.isArray(list) || list.length === 0) {
      return [
        { path: formatPath([...path, combinator]), message: 'expected a list of at least one condition' },
      ];
    }
    return list.flatMap((item, i) => explainValue(Condition, item, [...path, combinator, i]));
  }
  if ('not' in raw) {
    const others = Object.keys(raw).filter((key) => key !== 'not');
    if (others.length > 0) {
      return [
        {
          path: formatPath([...path, others[0] ?? '']),
          message: 'unknown field next to not (not allowed here)',
        },
      ];
    }
    return explainValue(Condition, raw.not, [...path, 'not']);
  }
  const ops = Object.keys(OPS);
  if (!('op' in raw))
    return [{ path: formatPath([...path, 'op']), message: `required: one of ${ops.join(', ')}` }];
  const schema = typeof raw.op === 'string' ? OPS[raw.op] : undefined;
  if (!schema) {
    return [
      {
        path: formatPath([...path, 'op']),
        message: `unknown op ${JSON.stringify(raw.op)}${didYouMean(raw.op, ops)}; ops are ${ops.join(', ')}`,
      },
    ];
  }
  return explainValue(schema, raw, path);
}

function explainIssue(issue: Issue, input: unknown, prefix: Path): InputIssue[] {
  const path = [...prefix, ...issue.path];
  const raw = valueAt(input, issue.path);
  const at = formatPath(path);
  switch (issue.code) {
    case 'invalid_type':
      if (raw === undefined) return [{ path: at, message: `required: expected ${issue.expected}` }];
      break;
    case 'invalid_value': {
      const options = issue.values.map(String);
      if (typeof raw === 'string' && options.length > 1) {
        return [
          {
            path: at,
            message: `unknown value "${raw}"${didYouMean(raw, options)}; expected one of ${options.join(', ')}`,
          },
        ];
      }
      break;
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator === 'type') {
        // zod points at the discriminator itself when the object has one, at the object otherwise.
        const atType = path.at(-1) === 'type';
        const type = atType ? raw : valueAt(raw, ['type']);
        return [
          {
            path: formatPath(atType ? path : [...path, 'type']),
            message:
              type === undefined
                ? `required: the step type, one of ${STEP_TYPES.join(', ')}`
                : `unknown step type ${JSON.stringify(type)}${didYouMean(type, STEP_TYPES)}; step types are ${STEP_TYPES.join(', ')}`,
          },
        ];
      }
      if (isRecord(raw) && ['field', 'op', 'all', 'any', 'not'].some((key) => key in raw)) {
        return conditionIssues(raw, path);
      }
      if (path.at(-1) === 'value') {
        const operand = 'a text, a number, true or false, or { ref: path }';
        return [{ path: at, message: raw === undefined ? `required: ${operand}` : `expected ${operand}` }];
      }
      if (path.at(-1) === 'where' || path.at(-1) === 'when' || path.at(-1) === 'audience') {
        return conditionIssues(raw, path);
      }
      break;
    }
    default:
      break;
  }
  const plain = toInputIssue(issue);
  return [{ ...plain, path: formatPath([...prefix, ...plainPath(issue)]) }];
}

/** toInputIssue's path (the unknown key itself for unrecognized keys), as parts. */
function plainPath(issue: Issue): PropertyKey[] {
  return issue.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path;
}

function explainValue(schema: z.ZodType, raw: unknown, path: Path): InputIssue[] {
  const result = schema.safeParse(raw);
  return result.success ? [] : result.error.issues.flatMap((issue) => explainIssue(issue, raw, path));
}

/**
 * Every schema issue of a playbook, worded for its authors. `input` is what zod read (upgraded),
 * `form` the form the file says it is in: a schemaVersion 1 leftover is named as such.
 */
export function playbookSchemaIssues(error: z.ZodError, input: unknown, form: 1 | 2 = 2): InputIssue[] {
  return error.issues.flatMap(splitUnknownKeys).flatMap((issue) => {
    const old = oldFormIssue(issue, valueAt(input, issue.path), form, input);
    if (old === null) return [];
    return old ? [old] : explainIssue(issue, input, []);
  });
}

/** One issue per unknown key: each may have its own message. */
function splitUnknownKeys(issue: Issue): Issue[] {
  return issue.code === 'unrecognized_keys' && issue.keys.length > 1
    ? issue.keys.map((key) => ({ ...issue, keys: [key] }))
    : [issue];
}
