import type { SmtpSink } from '../../devstack/smtpSink';
import type { TwilioEndpoint } from '../../devstack/twilioEndpoint';
import { setTimeout as sleep } from 'node:timers/promises';

/** Which customer a message was for, or undefined for a message that is not the bench's. */
export type RecipientOf = (recipient: string) => string | undefined;

/**
 * Indexes the messages the SMTP sink and the Twilio endpoint accepted by the customer they were
 * for: the first arrival per customer (the event's action) and how many arrived (a second one for
 * the same customer is a duplicate). Scans only what arrived since the last poll, so it stays
 * cheap at tens of thousands of messages.
 */
export class SendTracker {
  private readonly firstAt = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  private mailSeen = 0;
  private smsSeen = 0;
  /** Every accepted message's arrival time, for sends-per-second windows. */
  readonly arrivals: number[] = [];

  constructor(
    private readonly smtp: SmtpSink,
    private readonly twilio: TwilioEndpoint,
    private readonly customerOf: RecipientOf,
  ) {
    // Messages from before the tracker existed belong to an earlier benchmark on the same stack.
    this.mailSeen = smtp.messages.length;
    this.smsSeen = twilio.messages.length;
  }

  private record(recipient: string | undefined, at: number): void {
    const customer = recipient === undefined ? undefined : this.customerOf(recipient);
    if (customer === undefined) return;
    this.arrivals.push(at);
    this.counts.set(customer, (this.counts.get(customer) ?? 0) + 1);
    if (!this.firstAt.has(customer)) this.firstAt.set(customer, at);
  }

  poll(): void {
    const mail = this.smtp.messages;
    for (; this.mailSeen < mail.length; this.mailSeen++) {
      const message = mail[this.mailSeen]!;
      this.record(message.envelopeTo[0], message.receivedAt.getTime());
    }
    const sms = this.twilio.messages;
    for (; this.smsSeen < sms.length; this.smsSeen++) {
      const message = sms[this.smsSeen]!;
      this.record(message.to, message.acceptedAt.getTime());
    }
  }

  /** When the first message for the customer was accepted, in Date.now() milliseconds. */
  firstArrival(customerId: string): number | undefined {
    this.poll();
    return this.firstAt.get(customerId);
  }

  /** Customers with at least one message. */
  get delivered(): number {
    this.poll();
    return this.firstAt.size;
  }

  /** Messages beyond the first per customer. */
  get duplicates(): number {
    this.poll();
    let extra = 0;
    for (const count of this.counts.values()) extra += count - 1;
    return extra;
  }

  /** Waits until `customers` have each had a message, or the timeout passes; returns how many did. */
  async waitForAll(customers: readonly string[], timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.poll();
      const reached = customers.filter((c) => this.firstAt.has(c)).length;
      if (reached === customers.length || Date.now() > deadline) return reached;
      await sleep(100);
    }
  }
}
