import type { Playbook, Step } from '../schema';
import { fallsThrough, referencesOf } from './steps';

/*
 * The step graph as the path rules walk it (offer before decideOffer, waits along a path): steps by
 * position, each with the edges it can take. A reference to an undefined step, or a second step with
 * the same id, is reported by the step rule; here the first step with an id is the one reached, and
 * an edge to nowhere is left out, so the other rules still say what they can.
 */

export interface StepEdge {
  /** Position of the step it leads to. */
  to: number;
  /** The field that leads there (`next`, `onTimeout`, `cases[0].next`), or `(below)` for falling through. */
  field: string;
}

export interface StepGraph {
  steps: readonly Step[];
  edges: StepEdge[][];
}

export function stepGraph(playbook: Playbook): StepGraph {
  const steps = playbook.steps;
  const firstIndex = new Map<string, number>();
  steps.forEach((step, index) => {
    if (!firstIndex.has(step.id)) firstIndex.set(step.id, index);
  });
  const edges = steps.map((step, index) => {
    const out: StepEdge[] = [];
    for (const ref of referencesOf(step)) {
      const to = firstIndex.get(ref.id);
      if (to !== undefined) out.push({ to, field: ref.field });
    }
    if (fallsThrough(step) && index + 1 < steps.length) out.push({ to: index + 1, field: '(below)' });
    return out;
  });
  return { steps, edges };
}

/** A path of step positions as an author reads it: `wait → check → reminder`. */
export function describePath(graph: StepGraph, path: readonly number[]): string {
  return path.map((index) => graph.steps[index]?.id ?? '?').join(' → ');
}

/** The path from the first step to `index` recorded in `parent` (position → the step before it). */
export function pathTo(parent: ReadonlyMap<number, number>, index: number): number[] {
  const path = [index];
  for (let at = parent.get(index); at !== undefined; at = parent.get(at)) path.unshift(at);
  return path;
}
