import type { Collection } from 'mongodb';
import {
  slotAsk,
  slotResult,
  type ReserveSlotInput,
  type ReserveSlotResult,
} from '../engine/interpreter/slotReservation';
import type { LedgerDoc } from '../store/collections';
import { reserveContactSlot } from '../store/contactLedger';

export type { ReserveSlotInput, ReserveSlotResult } from '../engine/interpreter/slotReservation';

/** Takes a slot under the run's caps, atomically per customer; refused, it says which cap, until when and who won. */
export function createReserveSlot(deps: { ledger: Collection<LedgerDoc>; now: () => Date }) {
  // The worker's clock, not the run's (`input.now`): how old a ledger version is, for pruning.
  const clock = () => deps.now().getTime();
  return async function reserveSlot(input: ReserveSlotInput): Promise<ReserveSlotResult> {
    const request = { customerId: input.customerId, ...slotAsk(input) };
    const answer = await reserveContactSlot(deps.ledger, request, clock);
    return slotResult(answer);
  };
}
