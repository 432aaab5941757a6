import type { CartItem, JourneyEvent } from '../events/schema';
import { assignArm, type Arm } from './holdout';
import { deliveryKey } from './ids';

/*
 * The cart-abandonment journey as a pure state machine: (state, input, now) -> state.
 * The Temporal workflow drives it durably; tests (and later the simulator) drive it directly.
 * All state is JSON-safe (records and arrays) so it survives continue-as-new and queries.
 */

export type Channel = 'email' | 'sms';

/** The playbook settings a run starts with; frozen for the run's lifetime. */
export interface CartPlaybookSnapshot {
  id: string;
  version: number;
  waitMs: number;
  holdoutPercent: number;
  holdoutSalt: string;
  /** Channel to use when the customer has no email address; null sends nothing in that case. */
  fallbackChannel: 'sms' | null;
}

export interface CartJourneyInput {
  /** Bumped when the input's shape changes, so old runs can be told apart from new ones. */
  schemaVersion: 1;
  customerId: string;
  playbook: CartPlaybookSnapshot;
}

export interface CartSnapshot {
  cartId: string;
  currency: string;
  items: CartItem[];
  cartUrl?: string;
}

export type JourneyPhase = 'awaiting-cart' | 'waiting' | 'delivering' | 'done';

export type SuppressionReason = 'holdout' | 'no-contact';

export type JourneyOutcome =
  | { kind: 'exited'; reason: 'order.placed' | 'cart.emptied'; eventId: string }
  | { kind: 'delivered'; channel: Channel; idempotencyKey: string }
  | { kind: 'suppressed'; reason: SuppressionReason; idempotencyKey: string }
  | { kind: 'no-trigger' };

export interface CartJourneyState {
  customerId: string;
  playbook: CartPlaybookSnapshot;
  arm: Arm;
  phase: JourneyPhase;
  /** The event that entered this run; it names the run in every idempotency key. */
  entryEventId?: string;
  cart?: CartSnapshot;
  /** Epoch milliseconds at which the reminder is due. */
  dueAt?: number;
  seenEventIds: string[];
  outcome?: JourneyOutcome;
}

/** How many event IDs a run remembers for de-duplication; far more than one cart journey sees. */
const SEEN_EVENT_LIMIT = 1_000;

export function startCartJourney(input: CartJourneyInput): CartJourneyState {
  const { customerId, playbook } = input;
  return {
    customerId,
    playbook,
    arm: assignArm(customerId, playbook.holdoutSalt, playbook.holdoutPercent),
    phase: 'awaiting-cart',
    seenEventIds: [],
  };
}

export interface EventResult {
  state: CartJourneyState;
  /** True when this event ID was already applied: it changed nothing. */
  duplicate: boolean;
}

/**
 * Applies one event. Each cart update restarts the wait, because a cart still being edited is not
 * abandoned. An order or an emptied cart ends the run at once, even mid-wait. Events that arrive
 * once the reminder is being delivered are remembered (for de-duplication) but change nothing.
 */
export function applyEvent(state: CartJourneyState, event: JourneyEvent, now: number): EventResult {
  if (state.seenEventIds.includes(event.eventId)) return { state, duplicate: true };
  const seenEventIds = [...state.seenEventIds, event.eventId].slice(-SEEN_EVENT_LIMIT);
  const next: CartJourneyState = { ...state, seenEventIds };
  if (state.phase === 'delivering' || state.phase === 'done') return { state: next, duplicate: false };

  if (event.type === 'order.placed') {
    return {
      state: finish(next, { kind: 'exited', reason: 'order.placed', eventId: event.eventId }),
      duplicate: false,
    };
  }
  if (event.items.length === 0) {
    return {
      state: finish(next, { kind: 'exited', reason: 'cart.emptied', eventId: event.eventId }),
      duplicate: false,
    };
  }
  const cart: CartSnapshot = { cartId: event.cartId, currency: event.currency, items: event.items };
  if (event.cartUrl !== undefined) cart.cartUrl = event.cartUrl;
  return {
    state: {
      ...next,
      phase: 'waiting',
      entryEventId: state.entryEventId ?? event.eventId,
      cart,
      dueAt: now + state.playbook.waitMs,
    },
    duplicate: false,
  };
}

/** Moves a waiting run whose wait is over into delivery. */
export function beginDelivery(state: CartJourneyState, now: number): CartJourneyState {
  if (state.phase !== 'waiting' || state.dueAt === undefined || now < state.dueAt) return state;
  return { ...state, phase: 'delivering' };
}

export function finish(state: CartJourneyState, outcome: JourneyOutcome): CartJourneyState {
  return { ...state, phase: 'done', outcome };
}

export interface ContactPoints {
  email?: string;
  phone?: string;
}

export type DeliveryPlan =
  | { action: 'send'; channel: Channel; to: string }
  /** `channel` and `to` say what would have been sent, so a holdout record is comparable. */
  | { action: 'suppress'; reason: SuppressionReason; channel?: Channel; to?: string };

/** Email when the customer has an address, else the fallback channel; control customers get nothing. */
export function planDelivery(state: CartJourneyState, contact: ContactPoints): DeliveryPlan {
  const route: { channel: Channel; to: string } | undefined =
    contact.email !== undefined
      ? { channel: 'email', to: contact.email }
      : state.playbook.fallbackChannel === 'sms' && contact.phone !== undefined
        ? { channel: 'sms', to: contact.phone }
        : undefined;
  if (route === undefined) return { action: 'suppress', reason: 'no-contact' };
  if (state.arm === 'control') return { action: 'suppress', reason: 'holdout', ...route };
  return { action: 'send', ...route };
}

export const REMINDER_STEP = 'reminder';

export function reminderKey(state: CartJourneyState): string {
  if (state.entryEventId === undefined) throw new Error('reminderKey: the run has no entry event yet');
  return deliveryKey(state.playbook.id, state.customerId, state.entryEventId, REMINDER_STEP);
}
