import type { RunInput, RunState } from '../interpreter/types';
import { normaliseEvent } from './normalise';

/*
 * The events a run carries, in today's form. A run started before the renames of issue 15 holds its
 * trigger, its queued inputs and its deferred events in the old form, in its Temporal history and in
 * the state it hands over at continue-as-new; the journey workflow passes them through here, so the
 * interpreter only ever reads one form. Pure: the same history gives the same state on replay, and
 * no command changes (playbooks that read an old name read the new one, engine/events/renamedFields.ts).
 */

export function normaliseRunInput(input: RunInput): RunInput {
  if (input.kind !== 'event') return input;
  const event = normaliseEvent(input.event);
  return event === input.event ? input : { ...input, event };
}

export function normaliseRunState(state: RunState): RunState {
  const trigger = normaliseEvent(state.trigger);
  const deferred = state.deferredEvents?.map(normaliseEvent);
  const deferredChanged = deferred?.some((event, i) => event !== state.deferredEvents?.[i]) ?? false;
  if (trigger === state.trigger && !deferredChanged) return state;
  return { ...state, trigger, ...(deferred !== undefined && { deferredEvents: deferred }) };
}
