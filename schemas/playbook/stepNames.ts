import type { InputIssue } from '../issues';

/*
 * `steps[2]` makes an author count from zero; the step's id is the name they gave it. Every issue
 * under a step, from the schema or from any rule, is labelled with that id here, in one place:
 * where playbook files are checked (load.ts), which every command and publishing go through. The
 * path stays the exact JSON path, and validatePlaybook's issues stay plain, for tools and tests.
 */

const STEP_PATH = /^steps\[(\d+)\]/;

/** The id written in the file for the step at `index`, if there is one to read. */
function stepId(input: unknown, index: number): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const steps = (input as { steps?: unknown }).steps;
  const step: unknown = Array.isArray(steps) ? steps[index] : undefined;
  const id = typeof step === 'object' && step !== null ? (step as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The issues, each under a step labelled `step "<id>"` when the file gives that step an id. */
export function nameSteps(issues: readonly InputIssue[], input: unknown): InputIssue[] {
  return issues.map((issue) => {
    const index = STEP_PATH.exec(issue.path)?.[1];
    const id = index === undefined ? undefined : stepId(input, Number(index));
    return id === undefined || issue.subject !== undefined ? issue : { ...issue, subject: `step "${id}"` };
  });
}
