import type { CapturedEmail } from '../../devstack/smtpSink';

/** One event of a load, as the load side saw it. */
export interface SentEvent {
  eventId: string;
  /** A fresh customer per event, so the first mail to this address is this event's. */
  recipient: string;
  /** When the insert (cron) or the publish (engine) began, in epoch ms. */
  startedAt: number;
}

export interface MailTally {
  /** Sink receivedAt − start of the event, for the events that got mail, in ms. */
  latenciesMs: number[];
  /** Events no accepted mail was addressed to. */
  lost: string[];
  /** Copies beyond the first, summed over idempotency keys. */
  duplicates: number;
  /** The idempotency keys the sink accepted more than once. */
  duplicateKeys: string[];
  /**
   * Copies that carried the same Message-ID as their first: a receiving server or client can
   * drop them as the same message. A copy under a new Message-ID reaches the customer twice.
   */
  duplicatesUnderSameMessageId: number;
}

/**
 * Reads the sink as the truth of what was sent: the provider's side, not what either system
 * believes it sent. Only mail to this load's recipients counts, so loads can share a sink.
 */
export function tallyMail(events: readonly SentEvent[], mail: readonly CapturedEmail[]): MailTally {
  const byRecipient = new Map(events.map((event) => [event.recipient, event]));
  const firstArrival = new Map<string, number>();
  const copiesByKey = new Map<string, number>();
  const firstMessageId = new Map<string, string | undefined>();
  let duplicatesUnderSameMessageId = 0;
  for (const message of mail) {
    const event = message.to.map((address) => byRecipient.get(address)).find((found) => found);
    if (!event) continue;
    const arrived = message.receivedAt.getTime();
    if (!firstArrival.has(event.eventId)) firstArrival.set(event.eventId, arrived);
    // A mail without the key still counts as a copy of its event's message.
    const key = message.idempotencyKey ?? `event:${event.eventId}`;
    copiesByKey.set(key, (copiesByKey.get(key) ?? 0) + 1);
    if (!firstMessageId.has(key)) firstMessageId.set(key, message.messageId);
    else if (message.messageId !== undefined && message.messageId === firstMessageId.get(key)) {
      duplicatesUnderSameMessageId += 1;
    }
  }
  const latenciesMs: number[] = [];
  const lost: string[] = [];
  for (const event of events) {
    const arrived = firstArrival.get(event.eventId);
    if (arrived === undefined) {
      lost.push(event.eventId);
      continue;
    }
    latenciesMs.push(arrived - event.startedAt);
  }
  let duplicates = 0;
  const duplicateKeys: string[] = [];
  for (const [key, copies] of copiesByKey) {
    duplicates += copies - 1;
    if (copies > 1) duplicateKeys.push(key);
  }
  return { latenciesMs, lost, duplicates, duplicateKeys, duplicatesUnderSameMessageId };
}
