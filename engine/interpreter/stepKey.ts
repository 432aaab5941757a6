import type { RunState } from './types';

/**
 * The business key of what a step does in this run: `<runKey>:<stepId>`, with `#<visit>` from the
 * second visit on, so a step revisited by a branch acts again under a new key. A send's delivery
 * and a decideOffer's grant are both stored under it.
 */
export function stepKey(state: Pick<RunState, 'runKey' | 'visits'>, stepId: string): string {
  const visit = state.visits[stepId] ?? 1;
  return `${state.runKey}:${stepId}${visit > 1 ? `#${visit}` : ''}`;
}
