import type { DeliveryRecord } from '../store/collections';
import type { SendResult } from './types';

/** What a send reports when the key was settled before it ran: nothing was sent this time. */
export function settledResult(record: DeliveryRecord): SendResult {
  // A pending record is claimed, never settled; reaching here with one would be a bug upstream.
  const settledAs = record.status === 'pending' ? 'failed' : record.status;
  return record.providerMessageId === undefined
    ? { status: 'already-settled', settledAs }
    : { status: 'already-settled', settledAs, providerMessageId: record.providerMessageId };
}
