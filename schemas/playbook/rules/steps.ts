import type { InputIssue } from '../../issues';
import type { Playbook, Step } from '../schema';
import { closest } from '../suggest';

/*
 * The step graph: every referenced step exists, ids are unique, and every step can be reached from
 * the first one. A step without `next` continues with the step below it, except exit, branch and
 * waitForEvent, which always say where to go (or end the run).
 */

export interface StepRef {
  /** The field holding the reference, relative to the step, e.g. `cases[1].next`. */
  field: string;
  id: string;
}

export function referencesOf(step: Step): StepRef[] {
  switch (step.type) {
    case 'branch':
      return [
        ...step.cases.map((c, i) => ({ field: `cases[${i}].next`, id: c.next })),
        { field: 'otherwise', id: step.otherwise },
      ];
    case 'waitForEvent':
      return [
        { field: 'onEvent', id: step.onEvent },
        { field: 'onTimeout', id: step.onTimeout },
      ];
    case 'exit':
      return [];
    case 'decideOffer':
      return [
        ...(step.next ? [{ field: 'next', id: step.next }] : []),
        ...(step.onNoOffer ? [{ field: 'onNoOffer', id: step.onNoOffer }] : []),
      ];
    default:
      return step.next ? [{ field: 'next', id: step.next }] : [];
  }
}

export function fallsThrough(step: Step): boolean {
  return step.type !== 'exit' && step.type !== 'branch' && step.type !== 'waitForEvent' && !step.next;
}

function describeIds(ids: readonly string[], wanted: string): string {
  const suggestion = closest(wanted, ids);
  return suggestion
    ? `did you mean "${suggestion}"?`
    : `the steps are ${ids.map((id) => `"${id}"`).join(', ')}`;
}

export function stepIssues(playbook: Playbook): InputIssue[] {
  const issues: InputIssue[] = [];
  const steps = playbook.steps;
  const firstIndex = new Map<string, number>();
  steps.forEach((step, index) => {
    const first = firstIndex.get(step.id);
    if (first === undefined) firstIndex.set(step.id, index);
    else {
      issues.push({
        path: `steps[${index}].id`,
        message: `duplicate step id "${step.id}": steps[${first}] already has it (each step needs its own id)`,
      });
    }
  });
  const ids = [...firstIndex.keys()];

  steps.forEach((step, index) => {
    for (const ref of referencesOf(step)) {
      if (!firstIndex.has(ref.id)) {
        issues.push({
          path: `steps[${index}].${ref.field}`,
          message: `step "${ref.id}" is not defined (${describeIds(ids, ref.id)})`,
        });
      }
    }
  });

  const reached = new Set<number>();
  const queue = [0];
  for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
    const step = steps[index];
    if (!step || reached.has(index)) continue;
    reached.add(index);
    for (const ref of referencesOf(step)) {
      const target = firstIndex.get(ref.id);
      if (target !== undefined) queue.push(target);
    }
    if (fallsThrough(step) && index + 1 < steps.length) queue.push(index + 1);
  }
  steps.forEach((step, index) => {
    // A duplicate is already reported; calling it unreachable too would only add noise.
    if (reached.has(index) || firstIndex.get(step.id) !== index) return;
    issues.push({
      path: `steps[${index}]`,
      message:
        `step "${step.id}" is never reached from the first step "${steps[0]?.id ?? ''}": no step leads to it ` +
        '(a step without next continues with the one below, except exit, branch and waitForEvent)',
    });
  });
  return issues;
}
