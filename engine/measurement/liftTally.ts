import type { JourneyEvent } from '../../schemas/events/schema';
import type { Offer } from '../../schemas/offers/schema';
import type { EventMatcher, Playbook } from '../../schemas/playbook/schema';
import { matches } from '../interpreter/entry';
import type { CostModel } from '../offers/basket';
import { parseDuration } from '../time/duration';
import type { Arm } from './holdout';
import type { ArmAggregate } from './lift';
import {
  customerEconomics,
  isPayableEngagement,
  noEconomics,
  type ArmEconomics,
  type CustomerEconomics,
  type OfferPayout,
} from './orderEconomics';

/*
 * The per-arm sums `journeys report lift` judges, from who entered and what they did afterwards.
 * Attribution follows the playbook's own success definition: a conversion is an event matching
 * `success.metric` within `success.window` after entry. Discounts, margin and partner payouts
 * come from the same window's orders and offer engagements. Pure: store/liftData.ts reads the
 * entries, events and offers this asks for, and this counts them.
 */

export interface ArmData extends ArmAggregate, ArmEconomics {
  /** Customers who opted out of marketing (any channel) within the window after entry. */
  unsubscribes: number;
}

export type PlaybookLiftData = {
  playbookId: string;
  arms: Record<Arm, ArmData>;
  /**
   * Holdout scheme epochs the counted entries were assigned under (0: before schemes were
   * recorded). More than one means a reshuffle moved customers between arms inside the range.
   */
  holdoutEpochs: number[];
} & (
  | {
      success: Playbook['success'];
      /** Currencies of the order totals summed; more than one means revenue mixes currencies. */
      currencies: string[];
      /** Paid-for engagements naming an offer the catalog does not hold: not counted as revenue. */
      unpricedEngagements: number;
      /**
       * How many other success definitions judged some of the entries: each entry is judged by the
       * definition it entered with, and this one's metric changed since (`--rebuild` re-judges).
       */
      judgedByOtherDefinitions?: number;
    }
  | { na: string }
);

/** What the tally reads of an entry into a playbook (the store's entry records carry it). */
export interface LiftEntry {
  playbookId: string;
  customerId: string;
  entryEventId: string;
  arm: Arm;
  enteredAt: Date;
  /** The holdout scheme that assigned `arm`; absent before schemes were recorded. */
  holdoutEpoch?: number;
}

/** What the tally reads of a stored event. */
export interface LiftEvent {
  eventId: string;
  occurredAt: Date;
  payload: JourneyEvent;
}

/** What the store found for one playbook's entries, once it knows the success definition. */
export interface LiftEvidence {
  /** The success definition that judges the playbook: one yardstick per report. */
  success: Playbook['success'];
  /** The counted types' events in the span (see attributionSpan), by customer. */
  eventsByCustomer: ReadonlyMap<string, readonly LiftEvent[]>;
  /** The events that entered the runs, by eventId, when the metric reads them (needsTrigger). */
  triggerById: ReadonlyMap<string, JourneyEvent>;
  /** What each engaged offer earns, for the offers that payableOfferIds named. */
  payouts: ReadonlyMap<string, OfferPayout>;
}

export const emptyArm = (): ArmData => ({
  customers: 0,
  conversions: 0,
  revenue: 0,
  revenueSquares: 0,
  unsubscribes: 0,
  ...noEconomics(),
});

/**
 * Each customer's first entry in the range, per playbook: a customer counts once, in the arm of
 * that entry, so a re-entering customer is not weighted more than one who entered once. Entries
 * at the same instant keep the one listed first.
 */
export function firstEntries<Entry extends LiftEntry>(
  entries: Iterable<Entry>,
): Map<string, Map<string, Entry>> {
  const byPlaybook = new Map<string, Map<string, Entry>>();
  for (const entry of entries) {
    let customers = byPlaybook.get(entry.playbookId);
    if (!customers) byPlaybook.set(entry.playbookId, (customers = new Map<string, Entry>()));
    const first = customers.get(entry.customerId);
    if (!first || entry.enteredAt.getTime() < first.enteredAt.getTime())
      customers.set(entry.customerId, entry);
  }
  return byPlaybook;
}

/** The event types that can count: the metric's, orders, consent changes and offer engagements. */
export function countedEventTypes(metricEvent: EventMatcher['event']): EventMatcher['event'][] {
  return [...new Set([metricEvent, 'order.placed', 'consent.updated', 'message.engaged'] as const)];
}

/**
 * Where the entries and their windows lie, in epoch ms: the events counted occur after `from`
 * (the first entry) and at or before `to` (the last entry's window end); the events that entered
 * the runs occur at or before `lastEntry`, since an entry is recorded when its event is routed.
 */
export function attributionSpan(
  entries: readonly LiftEntry[],
  success: Playbook['success'],
): { from: number; to: number; lastEntry: number } {
  const times = entries.map((entry) => entry.enteredAt.getTime());
  const from = Math.min(...times);
  const lastEntry = Math.max(...times);
  return { from, to: lastEntry + (parseDuration(success.window) ?? 0), lastEntry };
}

/** Whether the metric reads the entry event: matched on a trigger field, or a `trigger.…` condition. */
export function needsTrigger(metric: EventMatcher): boolean {
  return metric.matchTriggerOn !== undefined || JSON.stringify(metric.where ?? {}).includes('"trigger.');
}

/** The offers whose catalog entries the tally needs: those named by engagements that can earn. */
export function payableOfferIds(events: Iterable<LiftEvent>): Set<string> {
  const offerIds = new Set<string>();
  for (const { payload } of events) if (isPayableEngagement(payload)) offerIds.add(payload.data.offerId);
  return offerIds;
}

/** What the catalog says an engagement with the offer earns. */
export function offerPayout(offer: Offer): OfferPayout {
  return offer.kind === 'partner'
    ? { kind: 'partner', payoutModel: offer.payoutModel, payout: offer.payout }
    : { kind: 'own' };
}

function isMarketingOptOut(event: JourneyEvent): boolean {
  return event.type === 'consent.updated' && event.data.purpose === 'marketing' && !event.data.granted;
}

/** What one customer's first entry earned in its window: what a cell adds up per arm. */
export interface CustomerOutcome extends CustomerEconomics {
  converted: boolean;
  unsubscribed: boolean;
  /** Σ the window's order totals, converting or not. */
  revenue: number;
  /** Currencies of those orders. */
  currencies: string[];
}

/** The outcome of a customer who did nothing counted (yet): what an entry starts with. */
export const noOutcome = (): CustomerOutcome => ({
  converted: false,
  unsubscribed: false,
  revenue: 0,
  currencies: [],
  discount: 0,
  margin: 0,
  partnerRevenue: 0,
  unpricedEngagements: 0,
});

/**
 * One entry judged: the counted events after it, within the success window, against the metric.
 * The one rule both the batch tally (tallyPlaybook, the rebuild) and the incremental one
 * (store/liftAttributions.ts, as events are routed) apply.
 */
export function judgeEntry(
  entry: Pick<LiftEntry, 'entryEventId' | 'enteredAt'>,
  events: readonly LiftEvent[],
  trigger: JourneyEvent | undefined,
  judge: { success: Playbook['success']; payouts: ReadonlyMap<string, OfferPayout>; costModel: CostModel },
): CustomerOutcome {
  const { success } = judge;
  const window = parseDuration(success.window) ?? 0;
  const start = entry.enteredAt.getTime();
  // After entry, not at it: the event that entered the run is never its own conversion.
  const inWindow = events.filter(
    (e) =>
      e.eventId !== entry.entryEventId &&
      e.occurredAt.getTime() > start &&
      e.occurredAt.getTime() <= start + window,
  );
  const context = trigger === undefined ? {} : { trigger };
  // Revenue is every order in the window, converting or not: what the customer spent, not only
  // the order that counted as the conversion.
  let revenue = 0;
  const currencies = new Set<string>();
  for (const { payload } of inWindow) {
    if (payload.type !== 'order.placed') continue;
    revenue += payload.data.total;
    currencies.add(payload.data.currency);
  }
  return {
    converted: inWindow.some((e) => matches(success.metric, e.payload, context)),
    unsubscribed: inWindow.some((e) => isMarketingOptOut(e.payload)),
    revenue,
    currencies: [...currencies].sort(),
    ...customerEconomics(
      inWindow.map((e) => e.payload),
      judge.costModel,
      judge.payouts,
    ),
  };
}

/** Adds (sign 1) or takes back (sign −1) one customer's outcome to the sums of their arm. */
export function addOutcome(arm: ArmData, outcome: CustomerOutcome, sign: 1 | -1 = 1): void {
  if (outcome.converted) arm.conversions += sign;
  if (outcome.unsubscribed) arm.unsubscribes += sign;
  arm.revenue += sign * outcome.revenue;
  arm.revenueSquares += sign * outcome.revenue * outcome.revenue;
  arm.discount += sign * outcome.discount;
  arm.margin += sign * outcome.margin;
  arm.marginSquares += sign * outcome.margin * outcome.margin;
  arm.partnerRevenue += sign * outcome.partnerRevenue;
}

/**
 * The arms of one playbook's first entries. Without evidence (no published definition, so no
 * success metric) only the customers are counted, and the result says why.
 */
export function tallyPlaybook(
  playbookId: string,
  customers: readonly LiftEntry[],
  evidence: LiftEvidence | undefined,
  costModel: CostModel,
): PlaybookLiftData {
  const arms: Record<Arm, ArmData> = { treatment: emptyArm(), control: emptyArm() };
  for (const entry of customers) arms[entry.arm].customers += 1;
  const holdoutEpochs = [...new Set(customers.map((e) => e.holdoutEpoch ?? 0))].sort((a, b) => a - b);
  if (!evidence)
    return { playbookId, arms, holdoutEpochs, na: 'no published definition, so no success metric' };
  const { success, eventsByCustomer, triggerById, payouts } = evidence;
  const currencies = new Set<string>();
  let unpricedEngagements = 0;
  for (const entry of customers) {
    const outcome = judgeEntry(
      entry,
      eventsByCustomer.get(entry.customerId) ?? [],
      triggerById.get(entry.entryEventId),
      { success, payouts, costModel },
    );
    addOutcome(arms[entry.arm], outcome);
    for (const currency of outcome.currencies) currencies.add(currency);
    unpricedEngagements += outcome.unpricedEngagements;
  }
  return {
    playbookId,
    arms,
    holdoutEpochs,
    success,
    currencies: [...currencies].sort(),
    unpricedEngagements,
  };
}
