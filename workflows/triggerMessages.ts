import { defineSignal } from '@temporalio/workflow';
import type { TimerCommand } from '../engine/triggers/timerCommands';

/*
 * Messages of the computed-trigger timers, shared by the client and computedTriggerWorkflow.
 * Importing this file from Node is safe: defineSignal only builds a descriptor.
 */

/** Arm the timer, or move it: replaces the pending command unless that one rests on a newer purchase. */
export const rearmSignal = defineSignal<[TimerCommand]>('rearm');
