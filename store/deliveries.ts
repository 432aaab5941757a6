import type { Collection } from 'mongodb';
import { isDuplicateKeyError, type DeliveryRecord } from './collections';

export type DeliveryDraft = Omit<DeliveryRecord, 'status' | 'attempts' | 'createdAt' | 'updatedAt'>;

export type Claim =
  /** This caller may call the provider. `attempts` > 1 means an earlier call's outcome is unknown. */
  | { kind: 'claimed'; attempts: number }
  /** The key is already settled (sent, suppressed or failed): do not call the provider. */
  | { kind: 'settled'; record: DeliveryRecord };

/**
 * Records the intent to send under the unique key before any provider call. A second caller with
 * the same key finds the record: settled means stop; pending means an earlier attempt died between
 * claiming and recording the outcome, and the provider may or may not have the message. That is
 * the one window in which a duplicate can happen; `attempts` counts it.
 */
export async function claimDelivery(
  deliveries: Collection<DeliveryRecord>,
  draft: DeliveryDraft,
  now: Date,
): Promise<Claim> {
  try {
    await deliveries.insertOne({ ...draft, status: 'pending', attempts: 1, createdAt: now, updatedAt: now });
    return { kind: 'claimed', attempts: 1 };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  const existing = await deliveries.findOneAndUpdate(
    { idempotencyKey: draft.idempotencyKey, status: 'pending' },
    { $inc: { attempts: 1 }, $set: { updatedAt: now } },
    { returnDocument: 'after' },
  );
  if (existing) return { kind: 'claimed', attempts: existing.attempts };
  const settled = await deliveries.findOne({ idempotencyKey: draft.idempotencyKey });
  if (!settled) throw new Error(`delivery ${draft.idempotencyKey} vanished while being claimed`);
  return { kind: 'settled', record: settled };
}

export async function settleDelivery(
  deliveries: Collection<DeliveryRecord>,
  idempotencyKey: string,
  outcome: { status: 'sent'; providerMessageId: string } | { status: 'failed'; reason: string },
  now: Date,
): Promise<void> {
  await deliveries.updateOne({ idempotencyKey, status: 'pending' }, { $set: { ...outcome, updatedAt: now } });
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
      status: 'suppressed',
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    };
    await deliveries.insertOne(record);
    return record;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const existing = await deliveries.findOne({ idempotencyKey: draft.idempotencyKey });
    if (!existing) throw new Error(`delivery ${draft.idempotencyKey} vanished after a duplicate-key error`);
    return existing;
  }
}
