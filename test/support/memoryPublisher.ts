import { randomUUID } from 'node:crypto';
import type { JourneyEvent } from '../../schemas/events/schema';
import { InvalidEventError, parseEvent } from '../../schemas/events/parse';
import type { EventPublisher, PublishOutcome } from '../../schemas/events/publisher';

/**
 * An EventPublisher that validates with parseEvent and keeps accepted events in memory. It stands in
 * for JourneyClient at the HTTP and CLI boundaries only; the path through Temporal and MongoDB is
 * tested end to end elsewhere.
 */
export class MemoryPublisher implements EventPublisher {
  readonly accepted: JourneyEvent[] = [];
  /** The inputs of each publishEvents call, to check batching. */
  readonly calls: unknown[][] = [];
  /** Set to make publishEvents fail, as when MongoDB or Temporal is down. */
  failWith: Error | undefined;

  publishEvents(inputs: readonly unknown[]): Promise<PublishOutcome[]> {
    this.calls.push([...inputs]);
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    return Promise.resolve(inputs.map((input, index) => this.publishOne(input, index)));
  }

  private publishOne(input: unknown, index: number): PublishOutcome {
    let event: JourneyEvent;
    try {
      event = parseEvent(input);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      const eventId = (input as { eventId?: unknown } | null)?.eventId;
      return typeof eventId === 'string'
        ? { index, eventId, status: 'rejected', issues: error.issues }
        : { index, status: 'rejected', issues: error.issues };
    }
    const deliveredTo = ['cart-abandonment'];
    if (this.accepted.some((e) => e.eventId === event.eventId)) {
      return { index, eventId: event.eventId, status: 'duplicate', deliveredTo };
    }
    this.accepted.push(event);
    return { index, eventId: event.eventId, status: 'accepted', deliveredTo };
  }
}

/** A valid `cart.updated` event of the envelope shape. */
export function cartEvent(customerId = 'c-1', eventId = `evt-${randomUUID()}`) {
  return {
    eventId,
    type: 'cart.updated',
    customerId,
    occurredAt: new Date().toISOString(),
    data: {
      cartId: `cart-${customerId}`,
      currency: 'EUR',
      items: [{ sku: 'SKU-TEE-01', name: 'Organic cotton tee', quantity: 1, price: 10 }],
    },
  };
}
