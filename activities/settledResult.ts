import type { DeliveryRecord } from '../store/collections';
import type { SendResult } from './types';

/** What a send reports when the key was settled before it ran: nothing was sent this time. */
export function settledResult(record: DeliveryRecord): SendResult {
  // Pending and sending records are claimed or in doubt, never settled: claimDelivery does not
  // return them as settled, so they cannot reach here.
  const settledAs = record.status === 'pending' || record.status === 'sending' ? 'failed' : record.status;
  return record.providerMessageId === undefined
    ? { status: 'already-settled', settledAs }
    : { status: 'already-settled', settledAs, providerMessageId: record.providerMessageId };
}
