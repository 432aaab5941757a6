import type { CapRule } from '../../schemas/policy/schema';
import type { SlotAnswer, SlotAsk } from '../contactPolicy/arbitration';
import type { CalendarContext } from '../contactPolicy/frequencyCaps';
import { capLabel } from './sendPolicy';
import type { Effect, RunInput, RunState } from './types';

/*
 * A run's reserveSlot effect, as the question put to the contact ledger and the answer the run
 * gets back. The workflow asks the reserveSlot activity (MongoDB ledger), the simulator its
 * in-memory ledger; both build the question, word the answer and turn it into the run's input
 * through these functions, so a refusal reads the same in a backtest as in production.
 */

/** What the reserveSlot activity is asked: JSON-safe, recorded in the run's history. */
export interface ReserveSlotInput {
  customerId: string;
  playbookId: string;
  key: string;
  channel: 'email' | 'sms';
  transactional: boolean;
  /** The playbook's tags, for caps on a tag. */
  tags?: string[];
  caps: CapRule[];
  calendar: CalendarContext;
  /** The run's time of decision (epoch ms): the caps are judged, and the slot dated, at that instant. */
  at: number;
  /** Absent on runs from before priority arbitration: first come, first served. */
  arbitration?: { windowMs: number; priority: number; expectedValue: number };
}

/** JSON-safe and backward compatible: runs recorded before arbitration saw only the first two shapes. */
export type ReserveSlotResult =
  | { reserved: true }
  | { reserved: false; rule: string; freesAt: number; count?: number; winner?: string }
  /** Waiting for the arbitration window to close: ask again, same key, at `pendingUntil`. */
  | { reserved: false; pendingUntil: number };

/** The request for a run's reserveSlot effect at `at`. */
export function slotRequest(
  effect: Extract<Effect, { type: 'reserveSlot' }>,
  state: RunState,
  at: number,
): ReserveSlotInput {
  return {
    customerId: state.customerId,
    playbookId: state.playbookId,
    key: effect.idempotencyKey,
    channel: effect.channel,
    transactional: effect.transactional,
    caps: effect.caps,
    calendar: effect.calendar,
    at,
    ...(effect.tags && { tags: effect.tags }),
    ...(effect.arbitration && { arbitration: effect.arbitration }),
  };
}

/** The activity's input as the ledger's question: the same in the activity and the simulator. */
export function slotAsk(input: ReserveSlotInput): SlotAsk {
  return {
    key: input.key,
    candidate: {
      channel: input.channel,
      playbookId: input.playbookId,
      transactional: input.transactional,
      ...(input.tags && { tags: input.tags }),
    },
    rules: input.caps,
    calendar: input.calendar,
    now: input.at,
    ...(input.arbitration && {
      windowMs: input.arbitration.windowMs,
      priority: input.arbitration.priority,
      expectedValue: input.arbitration.expectedValue,
    }),
  };
}

/** The ledger's answer in the activity's words: a refusal names its cap as `email ≤ 1 per day`. */
export function slotResult(answer: SlotAnswer): ReserveSlotResult {
  switch (answer.status) {
    case 'reserved':
      return { reserved: true };
    case 'pending':
      return { reserved: false, pendingUntil: answer.decideAt };
    case 'refused':
      return {
        reserved: false,
        rule: capLabel(answer.refusal.rule),
        freesAt: answer.refusal.freesAt,
        count: answer.refusal.count,
        ...(answer.winner !== undefined && { winner: answer.winner }),
      };
  }
}

/** The run's input for a reserveSlot answer (results recorded before arbitration carry no count). */
export function slotInput(result: ReserveSlotResult): RunInput {
  if (result.reserved) return { kind: 'slotReserved' };
  if ('pendingUntil' in result) return { kind: 'slotPending', until: result.pendingUntil };
  return {
    kind: 'slotRefused',
    rule: result.rule,
    freesAt: result.freesAt,
    ...(result.count !== undefined && { count: result.count }),
    ...(result.winner !== undefined && { winner: result.winner }),
  };
}
