import type { Collection, Db } from 'mongodb';
import type { CapRule } from '../policy/schema';
import {
  checkCaps,
  longestWindow,
  type CalendarContext,
  type CapDecision,
  type SendCandidate,
} from '../engine/policy/caps';
import { isDuplicateKeyError, type LedgerDoc } from './collections';

export type { LedgerDoc } from './collections';

export function contactLedger(db: Db): Collection<LedgerDoc> {
  return db.collection<LedgerDoc>('contact_ledger');
}

export type Reservation =
  { reserved: true; duplicate: boolean } | { reserved: false; decision: Extract<CapDecision, { ok: false }> };

export interface ReserveRequest {
  customerId: string;
  /** The send's idempotency key: a retry of the same send finds its reservation. */
  key: string;
  candidate: SendCandidate;
  rules: readonly CapRule[];
  calendar: CalendarContext;
  now: number;
}

const MAX_CONFLICTS = 50;

export class LedgerContentionError extends Error {
  override readonly name = 'LedgerContentionError';
}

/**
 * Checks the caps and takes a slot in one conditional update of the customer's ledger document
 * (matched on its version), so concurrent sends for one customer from many workflows can never
 * both take the last slot; the loser re-reads and decides again. No multi-document transaction is
 * needed, which FerretDB does not have. Entries older than every window are pruned on the way.
 */
export async function reserveContactSlot(
  ledger: Collection<LedgerDoc>,
  request: ReserveRequest,
): Promise<Reservation> {
  const { customerId, key, candidate, rules, calendar, now } = request;
  const horizon = now - longestWindow(rules);
  for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
    const doc = await ledger.findOne({ _id: customerId });
    const entries = doc?.entries ?? [];
    if (entries.some((e) => e.key === key)) return { reserved: true, duplicate: true };
    const decision = checkCaps(rules, entries, candidate, now, calendar);
    if (!decision.ok) return { reserved: false, decision };
    const next = [...entries.filter((e) => e.at > horizon), { ...candidate, at: now, key }];
    if (!doc) {
      try {
        await ledger.insertOne({ _id: customerId, version: 1, entries: next, updatedAt: new Date(now) });
        return { reserved: true, duplicate: false };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        continue; // another send created the ledger first: decide again on its contents
      }
    }
    const result = await ledger.updateOne(
      { _id: customerId, version: doc.version },
      { $set: { entries: next, version: doc.version + 1, updatedAt: new Date(now) } },
    );
    if (result.matchedCount === 1) return { reserved: true, duplicate: false };
  }
  // Transient by nature: the activity's retry policy tries again a moment later.
  throw new LedgerContentionError(
    `contact ledger of ${customerId}: ${MAX_CONFLICTS} conflicting updates in a row`,
  );
}

/** Gives a slot back when its send failed for good, so the cap counts only messages that went out. */
export async function releaseContactSlot(
  ledger: Collection<LedgerDoc>,
  customerId: string,
  key: string,
): Promise<void> {
  for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
    const doc = await ledger.findOne({ _id: customerId });
    if (!doc || !doc.entries.some((e) => e.key === key)) return;
    const result = await ledger.updateOne(
      { _id: customerId, version: doc.version },
      { $set: { entries: doc.entries.filter((e) => e.key !== key), version: doc.version + 1 } },
    );
    if (result.matchedCount === 1) return;
  }
  throw new LedgerContentionError(
    `contact ledger of ${customerId}: ${MAX_CONFLICTS} conflicting updates in a row`,
  );
}
