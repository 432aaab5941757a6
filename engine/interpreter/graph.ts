import type { Playbook, Step } from '../../schemas/playbook/schema';

/** Steps that never fall through to the following step in the list. */
const NO_FALL_THROUGH: ReadonlySet<Step['type']> = new Set(['exit', 'branch', 'waitForEvent']);

export function stepById(playbook: Playbook, id: string): Step {
  const step = playbook.steps.find((s) => s.id === id);
  // The validator rejects undefined references, so this means the definition was not validated.
  if (!step) throw new Error(`playbook ${playbook.id} has no step "${id}"`);
  return step;
}

/** Where a step continues: its `next`, else the following step; null ends the run. */
export function nextOf(playbook: Playbook, step: Step): string | null {
  if ('next' in step && step.next !== undefined) return step.next;
  if (NO_FALL_THROUGH.has(step.type)) return null;
  const index = playbook.steps.indexOf(step);
  return playbook.steps[index + 1]?.id ?? null;
}

/** Every step a step can continue to, for reachability checks. */
export function successors(playbook: Playbook, step: Step): string[] {
  const out: string[] = [];
  const fallThrough = nextOf(playbook, step);
  if (fallThrough !== null) out.push(fallThrough);
  if (step.type === 'branch') out.push(...step.cases.map((c) => c.next), step.otherwise);
  if (step.type === 'waitForEvent') out.push(step.onEvent, step.onTimeout);
  if (step.type === 'decideOffer' && step.onNoOffer !== undefined) out.push(step.onNoOffer);
  return out;
}
