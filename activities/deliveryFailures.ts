import { ApplicationFailure } from '@temporalio/activity';
import type { Collection } from 'mongodb';
import type { LedgerDoc, ProfileRecord } from '../store/collections';
import { releaseContactSlot } from '../store/contactLedger';
import { settleDelivery, type DeliveryStore } from '../store/deliveries';
import { recordHardBounce } from '../store/profiles';
import { ErrorType } from './errors';
import type { DeliveryContext } from './types';

/*
 * What a send does with each kind of provider failure, shared by email and SMS:
 * - refused for good: settle `failed`, give the cap slot back, record a hard bounce when the
 *   recipient is at fault, and tell Temporal not to retry;
 * - refused for now (429, SMTP 4xx, no connection): back to `pending`, and Temporal retries with
 *   backoff, calling the provider again under the same key;
 * - ambiguous (a dropped connection after the message went, a 5xx, a timeout): `unknown`, and no
 *   second call until the message is reconciled.
 */

export interface FailureDeps {
  store: DeliveryStore;
  /** A permanently refused message gives its cap slot back: caps count what went out. */
  ledger: Collection<LedgerDoc>;
  profiles: Collection<ProfileRecord>;
  now: () => Date;
}

export async function failPermanently(
  deps: FailureDeps,
  context: DeliveryContext,
  channel: 'email' | 'sms',
  to: string,
  reason: string,
  hardBounce: boolean,
  details: Record<string, unknown> = {},
): Promise<never> {
  const now = deps.now();
  await settleDelivery(
    deps.store,
    context.idempotencyKey,
    { status: 'failed', reason, ...(hardBounce && { bounce: 'hard' as const }) },
    now,
  );
  if (hardBounce) {
    await recordHardBounce(
      deps.profiles,
      context.customerId,
      channel,
      { address: to, at: now.toISOString(), reason },
      now,
    );
  }
  await releaseContactSlot(deps.ledger, context.customerId, context.idempotencyKey, () =>
    deps.now().getTime(),
  );
  throw ApplicationFailure.nonRetryable(reason, ErrorType.PermanentDeliveryFailure, { to, ...details });
}

export async function failForNow(
  deps: FailureDeps,
  context: DeliveryContext,
  reason: string,
  error: unknown,
): Promise<never> {
  await settleDelivery(deps.store, context.idempotencyKey, { status: 'pending', reason }, deps.now());
  throw error;
}

/** Records that the provider may or may not have the message; the caller decides what follows. */
export async function recordInDoubt(
  deps: FailureDeps,
  context: DeliveryContext,
  reason: string,
): Promise<void> {
  await settleDelivery(deps.store, context.idempotencyKey, { status: 'unknown', reason }, deps.now());
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
