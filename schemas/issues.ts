import type { z } from 'zod';

/** One problem in one input, located by a JSON path such as `items[0].quantity`. */
export interface InputIssue {
  path: string;
  message: string;
  /** What the path points at in the author's own names, e.g. `step "reminder"` for `steps[2]…`. */
  subject?: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/** One zod issue as a path and a reason. */
export function toInputIssue(issue: z.core.$ZodIssue): InputIssue {
  // zod reports an unknown key at the object that holds it; naming the key itself is clearer.
  if (issue.code === 'unrecognized_keys') {
    return {
      path: formatPath([...issue.path, ...issue.keys.slice(0, 1)]),
      message: `unknown field${issue.keys.length > 1 ? `s ${issue.keys.join(', ')}` : ''} (not allowed here)`,
    };
  }
  return { path: formatPath(issue.path), message: issue.message };
}

/** Every issue zod found, not just the first, so an author fixes them in one pass. */
export function toInputIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map(toInputIssue);
}

/**
 * One line a person can act on:
 * `playbooks/cart.yaml: steps[2].next (step "reminder"): step "x" is not defined`.
 */
export function formatIssue(file: string, issue: InputIssue): string {
  const subject = issue.subject === undefined ? '' : ` (${issue.subject})`;
  return `${file}: ${issue.path}${subject}: ${issue.message}`;
}
