import type { Collection } from 'mongodb';
import type { DeliveryAttempt, DeliveryRecord, DeliveryStatus } from './collections';
import { isDuplicateKeyError } from './duplicateKey';

export type DeliveryDraft = Omit<DeliveryRecord, 'status' | 'attempts' | 'createdAt' | 'updatedAt'>;

/**
 * How long a claimed attempt holds its key. Shorter than the send activities' start-to-close
 * timeout (30 s), so Temporal's retry after a lost worker finds the lease expired; longer than the
 * providers' own timeouts (20 s), so a slow but live attempt has given up before another may act.
 */
export const ATTEMPT_LEASE_MS = 25_000;

export interface DeliveryStore {
  deliveries: Collection<DeliveryRecord>;
  attempts: Collection<DeliveryAttempt>;
}

export type Claim =
  /** This caller, and no other, may call the provider now, as attempt `attempts`. */
  | { kind: 'claimed'; attempts: number }
  /** The key is settled (sent, suppressed, failed or left unknown): do not call the provider. */
  | { kind: 'settled'; record: DeliveryRecord }
  /**
   * An earlier attempt called the provider and its outcome is not recorded (it died mid-call) or
   * was ambiguous. The caller reconciles with the provider before it may claim again.
   */
  | { kind: 'inDoubt'; record: DeliveryRecord };

/**
 * A key's record. Records live under `_id: idempotencyKey`, so each read and write of one send is a
 * point access by `_id`: the only filter FerretDB 1.24 answers without reading the whole
 * collection, and the cheapest one on MongoDB. Records written before that, under a generated
 * `_id`, are moved to their key by the `rekey-deliveries-events` migration (store/rekey.ts), so a
 * miss here means no record: the first attempt of every send misses, and must not query.
 */
export async function findDelivery(
  deliveries: Collection<DeliveryRecord>,
  idempotencyKey: string,
): Promise<DeliveryRecord | null> {
  return deliveries.findOne({ _id: idempotencyKey });
}

/** Another worker holds the next attempt of this key right now; retrying later is safe. */
export class DeliveryBusyError extends Error {
  override readonly name = 'DeliveryBusyError';
}

/**
 * Records the intent to send under the unique key before any provider call. A second caller with
 * the same key finds the record and learns whether the provider may be called again.
 */
export async function claimDelivery(store: DeliveryStore, draft: DeliveryDraft, now: Date): Promise<Claim> {
  try {
    await store.deliveries.insertOne({
      ...draft,
      _id: draft.idempotencyKey,
      status: 'sending',
      attempts: 1,
      leaseUntil: new Date(now.getTime() + ATTEMPT_LEASE_MS),
      createdAt: now,
      updatedAt: now,
    });
    await store.attempts.insertOne(attemptDoc(draft.idempotencyKey, 1, now));
    return { kind: 'claimed', attempts: 1 };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  const existing = await findDelivery(store.deliveries, draft.idempotencyKey);
  if (!existing) throw new Error(`delivery ${draft.idempotencyKey} vanished while being claimed`);
  if (existing.status === 'sending' && (existing.leaseUntil?.getTime() ?? 0) > now.getTime()) {
    throw new DeliveryBusyError(
      `delivery ${draft.idempotencyKey}: attempt ${existing.attempts} is under way`,
    );
  }
  // A lapsed attempt died mid-call. `unknown` left so by policy (reconciled: not-resent) is final;
  // otherwise it awaits reconciling.
  const inDoubt =
    existing.status === 'sending' || (existing.status === 'unknown' && existing.reconciled === undefined);
  if (inDoubt) return { kind: 'inDoubt', record: existing };
  if (existing.status !== 'pending') return { kind: 'settled', record: existing };
  return { kind: 'claimed', attempts: await claimNextAttempt(store, existing, now) };
}

/** A key not yet sent, suppressed or failed for good. */
const UNSETTLED: ReadonlySet<DeliveryStatus> = new Set(['pending', 'sending', 'unknown']);

/**
 * A claim must be recorded on the key this soon after it is taken, or its holder gives it up
 * without calling the provider. Half the lease: another caller skips a claim only once the lease
 * has passed since it was taken (`abandonedClaim`), so the two can never both act.
 */
const CLAIM_DEADLINE_MS = ATTEMPT_LEASE_MS / 2;

/**
 * Takes the next attempt of a key whose earlier attempts are known not to have reached the
 * provider (or were reconciled as missing). The compare-and-set is the insert of `key#n` under a
 * unique `_id`: exactly one caller wins on MongoDB and on FerretDB, where a filtered update is not
 * atomic under concurrency. A claim whose holder died between that insert and recording it on
 * the key is skipped once its lease has lapsed; without that, every retry of the key would find
 * `key#n` taken and the run would wait forever.
 */
export async function claimNextAttempt(
  store: DeliveryStore,
  record: DeliveryRecord,
  now: Date,
): Promise<number> {
  // Real time, not the injected clock: what matters is how long passed between the two writes.
  const claimedAt = new Date();
  let next = record.attempts + 1;
  for (;;) {
    try {
      await store.attempts.insertOne(attemptDoc(record.idempotencyKey, next, claimedAt));
      break;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      if (!(await abandonedClaim(store, record.idempotencyKey, next))) {
        throw new DeliveryBusyError(
          `delivery ${record.idempotencyKey}: attempt ${next} is claimed by another worker`,
        );
      }
      next += 1;
    }
  }
  await store.deliveries.updateOne(
    { _id: record._id ?? record.idempotencyKey },
    {
      $max: { attempts: next },
      $set: { status: 'sending', leaseUntil: new Date(now.getTime() + ATTEMPT_LEASE_MS), updatedAt: now },
    },
  );
  const took = Date.now() - claimedAt.getTime();
  if (took > CLAIM_DEADLINE_MS) {
    // Another caller may already count this claim as abandoned. The lease now on the key keeps
    // others off until it lapses; after that the key is in doubt and reconciled as usual.
    throw new DeliveryBusyError(
      `delivery ${record.idempotencyKey}: attempt ${next} took ${took} ms to claim and is given up`,
    );
  }
  return next;
}

/**
 * Attempt `attempt` was claimed (its `key#n` exists) but never recorded on the key, and its lease
 * has passed since: its holder died between the two writes, before any provider call, which only
 * follows both. A live holder records its claim within CLAIM_DEADLINE_MS or gives it up.
 */
async function abandonedClaim(
  store: DeliveryStore,
  idempotencyKey: string,
  attempt: number,
): Promise<boolean> {
  // Taken before the reads, so the key is read at least a lease after the claim was taken.
  const checkedAt = Date.now();
  const [claim, record] = await Promise.all([
    store.attempts.findOne({ _id: `${idempotencyKey}#${attempt}` }),
    findDelivery(store.deliveries, idempotencyKey),
  ]);
  if (!claim || !record) return false;
  return (
    record.attempts < attempt &&
    UNSETTLED.has(record.status) &&
    claim.claimedAt.getTime() + ATTEMPT_LEASE_MS <= checkedAt
  );
}

function attemptDoc(idempotencyKey: string, attempt: number, now: Date): DeliveryAttempt {
  return { _id: `${idempotencyKey}#${attempt}`, idempotencyKey, attempt, claimedAt: now };
}

export type DeliveryOutcome =
  | { status: 'sent'; providerMessageId: string; reconciled?: 'found-at-provider' | 'resent-after-crash' }
  | { status: 'failed'; reason: string; bounce?: 'hard' }
  /** The provider refused outright (429, 4xx, connection refused): the next attempt may call again. */
  | { status: 'pending'; reason: string }
  | { status: 'unknown'; reason: string; reconciled?: 'not-resent' };

/**
 * Records an attempt's outcome, unless the key is settled already. Only the holder of the key's
 * current attempt settles it (the lease and the unique attempt insert see to that), so the check
 * is read, then a write by `_id`, rather than one update filtered on the status: FerretDB 1.24
 * answers a filter of more than `_id` by reading the whole collection, once per message sent.
 */
export async function settleDelivery(
  store: DeliveryStore,
  idempotencyKey: string,
  outcome: DeliveryOutcome,
  now: Date,
): Promise<void> {
  const record = await findDelivery(store.deliveries, idempotencyKey);
  if (!record || !UNSETTLED.has(record.status)) return;
  await store.deliveries.updateOne(
    { _id: record._id ?? idempotencyKey },
    { $set: { ...outcome, updatedAt: now }, $unset: { leaseUntil: '' } },
  );
}

/** A suppression is written once; replays and retries find it and change nothing. */
export async function recordSuppression(
  deliveries: Collection<DeliveryRecord>,
  draft: DeliveryDraft & { reason: string },
  now: Date,
): Promise<DeliveryRecord> {
  try {
    const record: DeliveryRecord = {
      ...draft,
      _id: draft.idempotencyKey,
      status: 'suppressed',
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    };
    await deliveries.insertOne(record);
    return record;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const existing = await findDelivery(deliveries, draft.idempotencyKey);
    if (!existing) throw new Error(`delivery ${draft.idempotencyKey} vanished after a duplicate-key error`);
    return existing;
  }
}
