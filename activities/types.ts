import type { Channel } from '../engine/interpreter/types';
import type { DeliveryIdentity } from '../store/collections';

/** Who a message belongs to, carried into its delivery record. Plain data so workflows can build it. */
export type DeliveryContext = DeliveryIdentity;

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

export type SendResult =
  | { status: 'sent'; providerMessageId: string; attempts: number }
  /** The key was settled by an earlier attempt or run; nothing was sent this time. */
  | { status: 'already-settled'; settledAs: 'sent' | 'suppressed' | 'failed'; providerMessageId?: string };

export interface SuppressionInput {
  context: DeliveryContext;
  reason: string;
  /** What would have been sent, so a holdout record carries the same data as a real send. */
  channel?: Channel;
  to?: string;
  subject?: string;
}
