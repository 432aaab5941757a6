import type { Collection } from 'mongodb';
import type { Arm } from '../engine/measurement/holdout';
import { FIRST_ENTRY, dayOf, entryDelta, successKey } from '../engine/measurement/liftCells';
import {
  countedEventTypes,
  judgeEntry,
  needsTrigger,
  noOutcome,
  offerPayout,
  type CustomerOutcome,
} from '../engine/measurement/liftTally';
import { isPayableEngagement, type OfferPayout } from '../engine/measurement/orderEconomics';
import type { CostModel } from '../engine/offers/basket';
import { parseDuration } from '../engine/time/duration';
import type { JourneyEvent } from '../schemas/events/schema';
import { OfferSettings } from '../schemas/policy/schema';
import type { Playbook } from '../schemas/playbook/schema';
import { LiftCellWriter, type LiftCellCollections } from './liftCells';
import type { OfferRecord } from './offers';
import { KeyedSerial } from './keyedSerial';
import { upsertRacing } from './upsert';

/*
 * Per customer, their entries into playbooks with the counted events of each entry's success
 * window and what the entry adds to the lift cells (store/liftCells.ts). Written only by the
 * router's lane of that customer (one event of a customer at a time), so a read-modify-write of
 * the document is safe; read by `_id` once per routed event of a counted type.
 */

/** A counted event kept for an entry, with what its offer paid when it was routed. */
export interface AttributedEvent {
  eventId: string;
  occurredAt: Date;
  payload: JourneyEvent;
  /** For a payable engagement: the catalog's payout then (null: the offer was not in the catalog). */
  payout?: OfferPayout | null;
}

export interface AttributedEntry {
  playbookId: string;
  entryEventId: string;
  enteredAt: Date;
  /** The UTC day of the customer's previous entry into the playbook, or FIRST_ENTRY. */
  previousDay: string;
  arm: Arm;
  holdoutEpoch: number;
  /** The success definition that judges this entry: its version's (null: none published). */
  success: Playbook['success'] | null;
  /** The event that entered the run, when the metric reads it (needsTrigger). */
  trigger?: JourneyEvent;
  events: AttributedEvent[];
  outcome: CustomerOutcome;
  /** What the cells hold for this entry; absent until it is counted. */
  applied?: CustomerOutcome;
}

export interface LiftAttributionRecord {
  /** The customerId. */
  _id: string;
  entries: AttributedEntry[];
}

export interface LiftCollections extends LiftCellCollections {
  liftAttributions: Collection<LiftAttributionRecord>;
  offers: Collection<OfferRecord>;
}

/** The shipped policy's cost ratios (the schema's defaults), for a router given no policy and the migration. */
export const DEFAULT_COST_MODEL: CostModel = (({ defaultCostRatio, costRatios }) => ({
  defaultCostRatio,
  costRatios,
}))(OfferSettings.parse({}));

/** What the tally needs to know of an entry as it is recorded. */
export interface NewEntry {
  playbookId: string;
  customerId: string;
  entryEventId: string;
  arm: Arm;
  holdoutEpoch: number;
  enteredAt: Date;
}

/**
 * How long after its window closes an entry keeps its events for late arrivals. Older entries
 * leave the customer's document (their sums stay in the cells), so the document read on every
 * counted event stays small however long the customer has been entering: an event routed later
 * than this after the window it falls in is not counted until a rebuild.
 */
export const LATE_EVENTS_MS = 30 * 86_400_000;

/**
 * The entries worth keeping at `now`: each playbook's latest (the next entry needs its day), and
 * those whose window closed less than LATE_EVENTS_MS ago. Only for settled entries.
 */
export function keptEntries(entries: readonly AttributedEntry[], now: number): AttributedEntry[] {
  const latest = new Map<string, AttributedEntry>();
  for (const entry of entries) {
    const seen = latest.get(entry.playbookId);
    if (!seen || entry.enteredAt > seen.enteredAt) latest.set(entry.playbookId, entry);
  }
  return entries.filter((entry) => {
    const window = entry.success === null ? 0 : (parseDuration(entry.success.window) ?? 0);
    return (
      latest.get(entry.playbookId) === entry || entry.enteredAt.getTime() + window + LATE_EVENTS_MS >= now
    );
  });
}

/** The entry judged over its kept events, with the payouts recorded alongside them. */
export function judgeAttributed(
  entry: Pick<AttributedEntry, 'success' | 'enteredAt' | 'entryEventId' | 'trigger' | 'events'>,
  costModel: CostModel,
): CustomerOutcome {
  if (entry.success === null) return noOutcome();
  const payouts = new Map<string, OfferPayout>();
  for (const { payload, payout } of entry.events)
    if (payout && isPayableEngagement(payload)) payouts.set(payload.data.offerId, payout);
  return judgeEntry(entry, entry.events, entry.trigger, { success: entry.success, payouts, costModel });
}

/** Whether the event lies in the entry's window and is of a type its definition counts. */
export function inWindow(
  entry: Pick<AttributedEntry, 'success' | 'enteredAt'>,
  event: { type: string; occurredAt: Date },
): boolean {
  if (entry.success === null) return false;
  const at = event.occurredAt.getTime();
  const start = entry.enteredAt.getTime();
  const window = parseDuration(entry.success.window) ?? 0;
  return (
    at > start &&
    at <= start + window &&
    (countedEventTypes(entry.success.metric.event) as string[]).includes(event.type)
  );
}

/**
 * Keeps the lift rollup up to date as events are routed: an entry adds its customer to its cell,
 * and a counted event in an entry's window re-judges that entry and moves the cell by the
 * difference. A crash between the cell increment and the document that records it being applied
 * counts that difference twice when the event is published again: the one window, two writes wide.
 */
export class LiftMaintainer {
  private counted: { of: readonly Playbook[]; types: Set<string> } | undefined;
  /**
   * A customer's document is read, changed and written back: two publishes of one customer's events
   * at once in this process (separate publishEvent calls, not one batch's lane) take turns here.
   * Another process doing the same at the same instant is the documented exception: last writer wins.
   */
  private readonly perCustomer = new KeyedSerial();

  constructor(
    private readonly collections: LiftCollections,
    private readonly cells: LiftCellWriter,
    private readonly costModel: CostModel,
  ) {}

  /** For the router: its collections, a cell writer of its own, and the workspace's cost ratios. */
  static of(collections: LiftCollections, costModel: CostModel = DEFAULT_COST_MODEL): LiftMaintainer {
    return new LiftMaintainer(collections, new LiftCellWriter(collections), costModel);
  }

  private countedTypes(playbooks: readonly Playbook[]): Set<string> {
    if (this.counted?.of !== playbooks)
      this.counted = {
        of: playbooks,
        types: new Set(playbooks.flatMap((p) => countedEventTypes(p.success.metric.event))),
      };
    return this.counted.types;
  }

  /** A new entry: counted in its cell now, judged as its window's events arrive. */
  entered(playbook: Playbook, trigger: JourneyEvent, entry: NewEntry): Promise<void> {
    return this.perCustomer.run(entry.customerId, () => this.enter(playbook, trigger, entry));
  }

  private async enter(playbook: Playbook, trigger: JourneyEvent, entry: NewEntry): Promise<void> {
    const record = (await this.collections.liftAttributions.findOne({ _id: entry.customerId })) ?? {
      _id: entry.customerId,
      entries: [],
    };
    const own = record.entries.filter((e) => e.playbookId === entry.playbookId);
    if (!own.some((e) => e.entryEventId === entry.entryEventId)) {
      const previous = own.reduce<AttributedEntry | undefined>(
        (latest, e) => (!latest || e.enteredAt > latest.enteredAt ? e : latest),
        undefined,
      );
      record.entries.push({
        playbookId: entry.playbookId,
        entryEventId: entry.entryEventId,
        enteredAt: entry.enteredAt,
        previousDay: previous ? dayOf(previous.enteredAt) : FIRST_ENTRY,
        arm: entry.arm,
        holdoutEpoch: entry.holdoutEpoch,
        success: playbook.success,
        ...(needsTrigger(playbook.success.metric) && { trigger }),
        events: [],
        outcome: noOutcome(),
      });
    }
    await this.settle(record, entry.enteredAt.getTime());
  }

  /**
   * A routed event of one customer: kept by each entry whose window it falls in, which is then
   * judged again. Only the types the active definitions count (countedEventTypes) are looked at,
   * which spares the read for events such as product views; an entry of a playbook retired since
   * misses later events of a metric type no active playbook counts (`--rebuild` recounts them).
   */
  async routed(event: JourneyEvent, activePlaybooks: readonly Playbook[]): Promise<void> {
    if (!('customerId' in event) || !this.countedTypes(activePlaybooks).has(event.type)) return;
    await this.perCustomer.run(event.customerId, () => this.count(event));
  }

  private async count(event: JourneyEvent & { customerId: string }): Promise<void> {
    const record = await this.collections.liftAttributions.findOne({ _id: event.customerId });
    if (!record) return;
    const occurredAt = new Date(event.occurredAt);
    let payout: OfferPayout | null | undefined;
    for (const entry of record.entries) {
      if (!inWindow(entry, { type: event.type, occurredAt })) continue;
      if (entry.events.some((e) => e.eventId === event.eventId)) continue; // routed again
      if (payout === undefined && isPayableEngagement(event)) {
        const offer = await this.collections.offers.findOne({ _id: event.data.offerId });
        payout = offer ? offerPayout(offer) : null;
      }
      entry.events.push({
        eventId: event.eventId,
        occurredAt,
        payload: event,
        ...(payout !== undefined && { payout }),
      });
      entry.outcome = judgeAttributed(entry, this.costModel);
    }
    // The customer's own latest time, not a clock: the same events prune the same way anywhere.
    const now = Math.max(occurredAt.getTime(), ...record.entries.map((e) => e.enteredAt.getTime()));
    await this.settle(record, now);
  }

  /**
   * Records the judged outcomes, moves the cells by what they do not hold yet, then records them
   * as held, leaving out the entries no longer kept (keptEntries). An outcome left unapplied by a
   * crash is applied by the customer's next event.
   */
  private async settle(record: LiftAttributionRecord, now: number): Promise<void> {
    const pending = record.entries.filter(
      (e) => !e.applied || JSON.stringify(e.applied) !== JSON.stringify(e.outcome),
    );
    if (pending.length === 0) return;
    const { liftAttributions } = this.collections;
    await upsertRacing(() => liftAttributions.replaceOne({ _id: record._id }, record, { upsert: true }));
    for (const entry of pending) {
      const facts = { arm: entry.arm, holdoutEpoch: entry.holdoutEpoch, judgedBy: successKey(entry.success) };
      await this.cells.add(
        entry.playbookId,
        dayOf(entry.enteredAt),
        entry.previousDay,
        entry.arm,
        entryDelta(facts, entry.applied, entry.outcome),
      );
      entry.applied = entry.outcome;
    }
    record.entries = keptEntries(record.entries, now);
    await upsertRacing(() => liftAttributions.replaceOne({ _id: record._id }, record, { upsert: true }));
  }
}
