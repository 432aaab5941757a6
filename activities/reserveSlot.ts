import type { Collection } from 'mongodb';
import { capLabel } from '../engine/interpreter/sendPolicy';
import type { CalendarContext } from '../engine/contactPolicy/frequencyCaps';
import type { CapRule } from '../schemas/policy/schema';
import type { LedgerDoc } from '../store/collections';
import { reserveContactSlot } from '../store/contactLedger';

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

/** Takes a slot under the run's caps, atomically per customer; refused, it says which cap, until when and who won. */
export function createReserveSlot(deps: { ledger: Collection<LedgerDoc> }) {
  return async function reserveSlot(input: ReserveSlotInput): Promise<ReserveSlotResult> {
    const answer = await reserveContactSlot(deps.ledger, {
      customerId: input.customerId,
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
    });
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
  };
}
