import type { Collections } from '../../store/collections';
import { currentLedger } from '../../store/contactLedger';
import type { AcceptedMessage, RefusedMessage } from './check';
import type { ChaosStack } from './stack';

/** The idempotency key an SMS carried in its StatusCallback URL (TWILIO_STATUS_CALLBACK_URL). */
function smsKey(statusCallback: string | undefined): string | undefined {
  if (statusCallback === undefined) return undefined;
  return new URL(statusCallback).searchParams.get('key') ?? undefined;
}

/** What the providers saw, in the checker's terms: every accepted copy, every refusal. */
export function sinkRecords(stack: ChaosStack): { accepted: AcceptedMessage[]; refused: RefusedMessage[] } {
  const accepted: AcceptedMessage[] = [
    ...stack.smtp.messages.map((mail) => ({
      channel: 'email' as const,
      to: mail.to[0] ?? mail.envelopeTo[0] ?? '',
      key: mail.idempotencyKey,
      acceptedAt: mail.receivedAt,
    })),
    ...stack.twilio.messages.map((sms) => ({
      channel: 'sms' as const,
      to: sms.to,
      key: smsKey(sms.statusCallback),
      acceptedAt: sms.acceptedAt,
    })),
  ];
  const refused: RefusedMessage[] = [
    ...stack.smtp.refusals.map((r) => ({
      channel: 'email' as const,
      to: r.to[0] ?? '',
      key: r.idempotencyKey,
      // SMTP 5xx is final for this recipient: a hard bounce, an action the engine took.
      permanent: r.code >= 500,
    })),
    ...stack.twilio.refusals.map((r) => ({
      channel: 'sms' as const,
      to: r.to,
      key: smsKey(r.statusCallback),
      permanent: false,
    })),
  ];
  return { accepted, refused };
}

/** How many messages the sinks have seen so far, accepted or refused: settling watches it. */
export function sinkCount(stack: ChaosStack): number {
  return (
    stack.smtp.messages.length +
    stack.smtp.refusals.length +
    stack.twilio.messages.length +
    stack.twilio.refusals.length
  );
}

/**
 * The engine's own records the checker needs as evidence: which keys were re-sent after a crash
 * (the documented ambiguous window), and which keys hold a reservation in the contact ledger.
 * Each customer's newest ledger version is enough: a reservation leaves it only when its send
 * failed for good (so no sink accepted it) or when it ages past the longest cap window.
 */
export async function engineEvidence(
  collections: Collections,
  customerIds: readonly string[],
): Promise<{ resentAfterCrash: Set<string>; reservedKeys: Set<string> }> {
  const resent = await collections.deliveries
    .find({ reconciled: 'resent-after-crash' }, { projection: { idempotencyKey: 1 } })
    .toArray();
  const reservedKeys = new Set<string>();
  for (const customerId of customerIds) {
    const ledger = await currentLedger(collections.ledger, customerId);
    for (const entry of ledger?.entries ?? []) reservedKeys.add(entry.key);
  }
  return { resentAfterCrash: new Set(resent.map((d) => d.idempotencyKey)), reservedKeys };
}
