import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { JourneyEvent } from '../schemas/events/schema';
import type { RunState } from '../engine/interpreter/types';

/*
 * Messages shared by the client and the journey workflow, defined once. Importing this file from
 * Node is safe: define* only builds descriptors.
 */

/** An accepted, validated event for this run. Duplicates (same eventId) are dropped by the run. */
export const eventSignal = defineSignal<[JourneyEvent]>('event');

/** The run's current state: position, arm, trigger, profile, outcome. */
export const stateQuery = defineQuery<RunState>('state');

/**
 * What Ops say with an action: why (required to pause or exit) and who (optional, e.g. an e-mail
 * address). Both are recorded as the action's decision and shown by `journeys explain`.
 */
export interface OperatorRequest {
  reason: string;
  by?: string;
}

/** Ops: stop sending until resumed. Goals still end a paused run. Rejected on a paused or ended run. */
export const pauseUpdate = defineUpdate<RunState, [OperatorRequest]>('pause');

/** Ops: continue a paused run; a wait that ran out meanwhile continues at once. Reason and who are optional (so is the request, for older clients). */
export const resumeUpdate = defineUpdate<RunState, [Partial<OperatorRequest>]>('resume');

/** Ops: end the run now, with a reason that is recorded as `ops:<reason>`. */
export const exitUpdate = defineUpdate<RunState, [OperatorRequest]>('exit');
