import type { Channel } from '../engine/interpreter/types';
import type { DeliveryIdentity } from '../store/collections';

/** Who a message belongs to, carried into its delivery record. Plain data so workflows can build it. */
export type DeliveryContext = DeliveryIdentity;

export type SendResult =
  /** `reconciled`: an earlier, ambiguous attempt turned out to have reached the provider. */
  | { status: 'sent'; providerMessageId: string; attempts: number; reconciled?: true }
  /** The provider's answer was ambiguous and policy forbids a second call (marketing email). */
  | { status: 'unknown'; reason: string }
  /** The key was settled by an earlier attempt or run; nothing was sent this time. */
  | {
      status: 'already-settled';
      settledAs: 'sent' | 'suppressed' | 'failed' | 'unknown';
      providerMessageId?: string;
    };

export interface SuppressionInput {
  context: DeliveryContext;
  reason: string;
  /** What would have been sent, so a holdout record carries the same data as a real send. */
  channel?: Channel;
  to?: string;
  subject?: string;
}
