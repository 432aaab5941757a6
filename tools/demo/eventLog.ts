import { parseEvent } from '../../schemas/events/parse';
import type { JourneyEvent, JourneyEventInput } from '../../schemas/events/schema';

/*
 * Collects the demo store's events as the generators write them, then hands them back validated
 * and in time order. IDs come from one counter in writing order, so they are stable for a seed.
 */

type InputOf<T extends JourneyEventInput['type']> = Extract<JourneyEventInput, { type: T }>;
type CustomerType = Extract<JourneyEventInput, { customerId: string }>['type'];
type FanOutType = Exclude<JourneyEventInput, { customerId: string }>['type'];

export class EventLog {
  private readonly events: { event: JourneyEventInput; at: number; seq: number }[] = [];
  private seq = 0;

  /** Events outside [start, end) are left out: the window is the 90 days, nothing spills over. */
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}

  customer<T extends CustomerType>(type: T, customerId: string, at: number, data: InputOf<T>['data']): void {
    this.add(at, (eventId, occurredAt) => ({ eventId, type, customerId, occurredAt, data }) as InputOf<T>);
  }

  fanOut<T extends FanOutType>(type: T, at: number, data: InputOf<T>['data'], eventId?: string): void {
    this.add(at, (id, occurredAt) => ({ eventId: eventId ?? id, type, occurredAt, data }) as InputOf<T>);
  }

  private add(at: number, build: (eventId: string, occurredAt: string) => JourneyEventInput): void {
    const seq = this.seq++;
    if (!(at >= this.start && at < this.end)) return;
    const rounded = Math.round(at / 1000) * 1000; // whole seconds: what a shop's systems report
    const eventId = `demo-${seq.toString(36).padStart(6, '0')}`;
    this.events.push({ event: build(eventId, new Date(rounded).toISOString()), at: rounded, seq });
  }

  /**
   * Every event parsed as ingestion parses it, oldest first (ties in writing order). A generator
   * bug fails here, naming the event and the field, before any file is written.
   */
  sorted(): JourneyEvent[] {
    return [...this.events]
      .sort((a, b) => a.at - b.at || a.seq - b.seq)
      .map(({ event }) => parseEvent(event));
  }
}
