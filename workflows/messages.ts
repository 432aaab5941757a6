import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { JourneyEvent } from '../events/schema';
import type { CartJourneyState } from '../engine/cartJourney';

/*
 * Messages shared by the client and the workflows, defined once. Importing this file from Node is
 * safe: define* only builds descriptors.
 */

/** An accepted, validated event for this journey. Duplicates (same eventId) are dropped. */
export const eventSignal = defineSignal<[JourneyEvent]>('event');

/** The run's current state: phase, arm, cart, due time and outcome. */
export const stateQuery = defineQuery<CartJourneyState>('state');
