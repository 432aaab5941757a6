import type { Collection } from 'mongodb';
import {
  applyDelta,
  dayOf,
  entryDelta,
  FIRST_ENTRY,
  successKey,
  type CellParts,
} from '../engine/measurement/liftCells';
import { needsTrigger, offerPayout } from '../engine/measurement/liftTally';
import { isPayableEngagement, type OfferPayout } from '../engine/measurement/orderEconomics';
import type { CostModel } from '../engine/offers/basket';
import type { JourneyEvent } from '../schemas/events/schema';
import type { Playbook } from '../schemas/playbook/schema';
import type { EntryRecord, EventRecord } from './collections';
import { storedEvent } from './events';
import {
  inWindow,
  keptEntries,
  judgeAttributed,
  type AttributedEntry,
  type AttributedEvent,
  type LiftAttributionRecord,
  type LiftCollections,
} from './liftAttributions';
import { cellKey, replaceAllCells } from './liftCells';
import { successDefinition } from './liftData';
import type { PlaybookCollections } from './playbookVersions';

/*
 * Builds the lift rollup from the entries and the inbox, as `journeys report lift` used to count on
 * every run: once per database (store/migrations.ts) for data stored before the rollup, and on
 * demand (`journeys report lift --rebuild`) to re-judge every entry by its playbook's current
 * success definition and today's catalog and cost ratios. One pass over each collection; run it
 * while nothing is being published, since it replaces what the router maintains.
 */

export interface RebuildSources extends LiftCollections {
  entries: Collection<EntryRecord>;
  events: Collection<EventRecord>;
  playbooks: PlaybookCollections;
}

const BATCH = 500;

/** Rebuilds every playbook's cells and every customer's attributions; returns the entries counted. */
export async function rebuildLift(
  sources: RebuildSources,
  costModel: CostModel,
  log: (line: string) => void = () => {},
): Promise<number> {
  const started = Date.now();
  const step = (what: string) =>
    log(`lift rebuild: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const byCustomer = new Map<string, EntryRecord[]>();
  for await (const entry of sources.entries.find({})) {
    const own = byCustomer.get(entry.customerId);
    if (own) own.push(entry);
    else byCustomer.set(entry.customerId, [entry]);
  }
  step(`read the entries of ${byCustomer.size} customers`);
  const definitions = new Map<string, Playbook['success'] | null>();
  const wantedTriggers = new Set<string>();
  for (const entries of byCustomer.values())
    for (const entry of entries) {
      if (!definitions.has(entry.playbookId))
        definitions.set(
          entry.playbookId,
          (await successDefinition(sources.playbooks, entry.playbookId))?.success ?? null,
        );
      const success = definitions.get(entry.playbookId);
      if (success && needsTrigger(success.metric)) wantedTriggers.add(entry.entryEventId);
    }

  // One pass over the inbox: the entered customers' events, and the events that entered runs.
  const eventsOf = new Map<string, AttributedEvent[]>();
  const triggers = new Map<string, JourneyEvent>();
  for await (const record of sources.events.find({})) {
    const wanted = wantedTriggers.has(record.eventId);
    const { customerId } = record;
    const customer = customerId === undefined ? undefined : byCustomer.get(customerId);
    if (!wanted && !customer) continue;
    const payload = storedEvent(record);
    if (wanted) triggers.set(record.eventId, payload);
    if (customerId === undefined || !customer) continue;
    const event = { eventId: record.eventId, occurredAt: record.occurredAt, payload };
    const own = eventsOf.get(customerId);
    if (own) own.push(event);
    else eventsOf.set(customerId, [event]);
  }
  step(`read the inbox: ${eventsOf.size} entered customers' events`);
  const payouts = await payoutsOf(sources, eventsOf);

  const cells = new Map<string, { playbookId: string; day: string; parts: CellParts }>();
  const records: LiftAttributionRecord[] = [];
  let counted = 0;
  for (const [customerId, entries] of byCustomer) {
    // Oldest first (stable: entries at the same instant keep the order listed), so each knows
    // the day of the one before it.
    entries.sort((a, b) => a.enteredAt.getTime() - b.enteredAt.getTime());
    const latest = new Map<string, Date>();
    const attributed: AttributedEntry[] = [];
    for (const entry of entries) {
      const success = definitions.get(entry.playbookId) ?? null;
      const previous = latest.get(entry.playbookId);
      latest.set(entry.playbookId, entry.enteredAt);
      const trigger = triggers.get(entry.entryEventId);
      const base = {
        playbookId: entry.playbookId,
        entryEventId: entry.entryEventId,
        enteredAt: entry.enteredAt,
        previousDay: previous ? dayOf(previous) : FIRST_ENTRY,
        arm: entry.arm,
        holdoutEpoch: entry.holdoutEpoch ?? 0,
        success,
        ...(success && needsTrigger(success.metric) && trigger && { trigger }),
      };
      const kept = (eventsOf.get(customerId) ?? [])
        .filter((e) => inWindow(base, { type: e.payload.type, occurredAt: e.occurredAt }))
        .map((e) => withPayout(e, payouts));
      const outcome = judgeAttributed({ ...base, events: kept }, costModel);
      const judged: AttributedEntry = { ...base, events: kept, outcome, applied: outcome };
      attributed.push(judged);
      const day = dayOf(entry.enteredAt);
      const key = cellKey(entry.playbookId, day);
      const cell = cells.get(key) ?? { playbookId: entry.playbookId, day, parts: {} };
      cells.set(key, cell);
      const facts = { arm: entry.arm, holdoutEpoch: base.holdoutEpoch, judgedBy: successKey(success) };
      applyDelta(cell.parts, base.previousDay, entry.arm, entryDelta(facts, undefined, judged.outcome));
      counted += 1;
    }
    records.push({ _id: customerId, entries: keptEntries(attributed, Date.now()) });
  }

  step(`judged ${counted} entries into ${cells.size} cells`);
  await sources.liftAttributions.deleteMany({});
  for (let i = 0; i < records.length; i += BATCH)
    await sources.liftAttributions.insertMany(records.slice(i, i + BATCH));
  step(`wrote ${records.length} customers' attributions`);
  await replaceAllCells(sources, cells);
  step('wrote the cells');
  return counted;
}

/** The payouts of the offers engaged with, looked up by the unique offerId. */
async function payoutsOf(
  sources: Pick<RebuildSources, 'offers'>,
  eventsOf: ReadonlyMap<string, readonly AttributedEvent[]>,
): Promise<Map<string, OfferPayout>> {
  const offerIds = new Set<string>();
  for (const events of eventsOf.values())
    for (const { payload } of events) if (isPayableEngagement(payload)) offerIds.add(payload.data.offerId);
  const out = new Map<string, OfferPayout>();
  if (offerIds.size === 0) return out;
  for await (const offer of sources.offers.find({ offerId: { $in: [...offerIds] } }))
    out.set(offer.offerId, offerPayout(offer));
  return out;
}

function withPayout(event: AttributedEvent, payouts: ReadonlyMap<string, OfferPayout>): AttributedEvent {
  const { payload } = event;
  return isPayableEngagement(payload)
    ? { ...event, payout: payouts.get(payload.data.offerId) ?? null }
    : event;
}
