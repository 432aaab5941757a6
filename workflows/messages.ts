import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { JourneyEvent } from '../events/schema';
import type { RunState } from '../engine/interpreter/types';

/*
 * Messages shared by the client and the journey workflow, defined once. Importing this file from
 * Node is safe: define* only builds descriptors.
 */

/** An accepted, validated event for this run. Duplicates (same eventId) are dropped by the run. */
export const eventSignal = defineSignal<[JourneyEvent]>('event');

/** The run's current state: position, arm, trigger, profile, outcome. */
export const stateQuery = defineQuery<RunState>('state');

/** Ops: stop sending until resumed. Goals still end a paused run. Rejected on a paused or ended run. */
export const pauseUpdate = defineUpdate<RunState, [{ reason: string }]>('pause');

/** Ops: continue a paused run; a wait that ran out meanwhile continues at once. */
export const resumeUpdate = defineUpdate<RunState, []>('resume');

/** Ops: end the run now, with a reason that is recorded as `ops:<reason>`. */
export const exitUpdate = defineUpdate<RunState, [{ reason: string }]>('exit');
