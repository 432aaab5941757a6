import { parseDuration } from '../engine/time/duration';
import { fanOutAudience } from '../engine/triggers/fanOut';
import {
  nextRoutingStep,
  routingTarget,
  type LastEntry,
  type PlannedEntry,
  type RoutingFacts,
  type RoutingStep,
  type RoutingTarget,
} from '../engine/routing/routingPlan';
import { applyInput, nextWakeAt, startRun } from '../engine/interpreter/run';
import type { Decision, Effect, RunInput, RunState, StepResult } from '../engine/interpreter/types';
import { buildCatalogIndex } from '../engine/offers/catalogIndex';
import { decideOffer, type OfferModel } from '../engine/offers/decide';
import { offerRequest, scoringRequest } from '../engine/interpreter/offerRequest';
import type { Offer } from '../schemas/offers/schema';
import type { HoldoutScheme } from '../engine/measurement/holdout';
import type { Profile } from '../engine/profile/profile';
import {
  applyCatalogChange,
  catalogChange,
  toProduct,
  type ProductState,
} from '../engine/catalog/catalogProjection';
import {
  applyChanges,
  applyMaxima,
  applyMinima,
  profileChanges,
  profileMaxima,
  profileMinima,
  stepChanges,
} from '../engine/profile/profileProjection';
import { isCatalogEvent, isFanOutEvent, type JourneyEvent } from '../schemas/events/schema';
import type { Playbook } from '../schemas/playbook/schema';
import { OfferSettings, type ContactPolicy } from '../schemas/policy/schema';
import { slotAsk, slotInput, slotRequest, slotResult } from '../engine/interpreter/slotReservation';
import { requestSlot, slotRequestOf, type CustomerLedger } from '../engine/contactPolicy/arbitration';
import { runPolicy } from '../engine/contactPolicy/effective';
import { MemoryAudienceIndexes } from './audienceIndex';
import { summarize, type PlaybookSummary } from './summary';
import { TimerQueue } from './timerQueue';
import { MemoryComputedTriggers } from './computedTriggers';
import type { ComputedEvent } from '../engine/triggers/timerCommands';

export interface SimulationOptions {
  playbooks: readonly Playbook[];
  /** The scheme entries are assigned with, as the client reads it from `holdout_schemes`. */
  holdout: HoldoutScheme;
  /** The offer catalog decideOffer steps choose from; scored as the activity scores it. */
  offers?: readonly Offer[];
  /** The workspace contact policy, as the client applies it at entry; omitted, sends are not capped. */
  policy?: ContactPolicy;
  /**
   * Events before this instant only build state (profiles, who viewed or wishlisted what): they
   * enter no run and reach none, as if the playbooks had been activated at `from`.
   */
  from?: number;
  /** Stop the virtual clock here; runs still waiting are left as they are. Default: run to the end. */
  until?: number;
}

export interface SimulationResult {
  decisions: Decision[];
  summary: Record<string, PlaybookSummary>;
  events: number;
  /** Events the engine computed on the way (replenishment due, lapse), as its timers publish them. */
  computed: ComputedEvent[];
}

interface LiveRun {
  playbook: Playbook;
  state: RunState;
}

/**
 * Backtesting: feeds recorded events, in time order, through the same entry rules and the same
 * interpreter as the live engine, on a virtual clock, with effects carried out in memory (sends
 * always succeed). The result is a function of the input alone.
 */
export function simulate(events: readonly JourneyEvent[], options: SimulationOptions): SimulationResult {
  const ordered = events
    .map((event, index) => ({ event, index, at: Date.parse(event.occurredAt) }))
    .sort((a, b) => a.at - b.at || a.index - b.index);
  const decisions: Decision[] = [];
  const profiles = new Map<string, Profile>();
  /** The catalog as the events so far describe it, by SKU: what a send's recheck reads. */
  const products = new Map<string, ProductState>();
  const runs = new Map<string, LiveRun>();
  /** Live run IDs by playbook and customer, so routing an event never scans every run. */
  const runsOf = new Map<string, Set<string>>();
  const owner = (playbookId: string, customerId: string) => `${playbookId}|${customerId}`;
  /** The latest entry per trigger run ID, as the router's entry heads hold it. */
  const lastEntries = new Map<string, LastEntry>();
  const seen = new Set<string>();
  const timers = new TimerQueue();
  /** Computed triggers share the clock with run wake-ups: their keys are `trigger:…` workflow IDs. */
  const triggers = new MemoryComputedTriggers();
  const computed: ComputedEvent[] = [];
  const offerModel: OfferModel = {
    index: buildCatalogIndex(options.offers ?? []),
    engagement: new Map(),
    usage: new Map(),
    settings: options.policy?.offers ?? OfferSettings.parse({}),
  };
  /** Offers granted so far, per customer: what per-customer caps count. */
  const grantsByCustomer = new Map<string, Record<string, number>>();
  const ledgers = new Map<string, CustomerLedger>();
  const audience = new MemoryAudienceIndexes(profiles);

  const perform = (effect: Effect, state: RunState, now: number): RunInput => {
    switch (effect.type) {
      case 'loadProfile':
        return {
          kind: 'profileLoaded',
          profile: profiles.get(state.customerId) ?? { customerId: state.customerId },
        };
      case 'loadProducts':
        return {
          kind: 'productsLoaded',
          products: effect.skus.flatMap((sku) => {
            const product = products.get(sku);
            return product === undefined ? [] : [toProduct(product)];
          }),
        };
      case 'decideOffer': {
        // The same request and scoring as the activity, on the catalog as given, learning nothing.
        const grants = grantsByCustomer.get(state.customerId) ?? {};
        const request = scoringRequest(offerRequest(effect, state, now), offerModel.settings, grants);
        const offer = decideOffer(offerModel, request);
        if (offer !== null)
          grantsByCustomer.set(state.customerId, {
            ...grants,
            [offer.offerId]: (grants[offer.offerId] ?? 0) + 1,
          });
        return { kind: 'offerDecided', offer };
      }
      case 'updateProfile': {
        const profile = profiles.get(state.customerId) ?? { customerId: state.customerId };
        profiles.set(state.customerId, applyChanges(profile, stepChanges(profile, effect)));
        return { kind: 'profileUpdated' };
      }
      case 'reserveSlot': {
        // The same arbitration and caps as the MongoDB reserve, over an in-memory ledger per customer.
        const request = slotRequest(effect, state, now);
        const ledger = ledgers.get(state.customerId) ?? { entries: [], intents: [] };
        const { answer, next } = requestSlot(ledger, slotRequestOf(slotAsk(request)));
        if (next) ledgers.set(state.customerId, next);
        return slotInput(slotResult(answer));
      }
      case 'deliver':
        return effect.action === 'send'
          ? { kind: 'delivered', status: 'sent' }
          : { kind: 'delivered', status: 'suppressed', reason: effect.reason ?? 'suppressed' };
    }
  };

  /** Carries out a run's effects until it waits, like the workflow's loop, and books its timer. */
  const settle = (id: string, run: LiveRun, first: StepResult, now: number): void => {
    let result = first;
    decisions.push(...result.decisions);
    while (result.effect) {
      result = applyInput(run.playbook, result.state, perform(result.effect, result.state, now), now);
      decisions.push(...result.decisions);
    }
    run.state = result.state;
    if (run.state.position.kind === 'done') {
      runs.delete(id);
      runsOf.get(owner(run.playbook.id, run.state.customerId))?.delete(id);
      return;
    }
    const wake = nextWakeAt(run.state);
    if (wake !== undefined) timers.push(wake, id);
  };

  const runTimersUntil = (limit: number): void => {
    for (let next = timers.peek(); next !== undefined && next.at <= limit; next = timers.peek()) {
      timers.pop();
      const due = triggers.fire(next.runId, next.at);
      if (due !== undefined) {
        inject(due, next.at);
        continue;
      }
      const run = runs.get(next.runId);
      // A timer is stale when the run has ended or moved its wake-up since it was booked.
      if (!run || nextWakeAt(run.state) !== next.at) continue;
      settle(next.runId, run, applyInput(run.playbook, run.state, { kind: 'wake' }, next.at), next.at);
    }
  };

  /**
   * One customer's share of an event: to their live runs of the playbook, or into a new one. The
   * rule is engine/routing/routingPlan.ts, as for the router; this carries out its steps in memory.
   */
  const routeTo = (playbook: Playbook, event: JourneyEvent, customerId: string, now: number): void => {
    const target = routingTarget(playbook, event, customerId);
    const facts: RoutingFacts = {};
    for (;;) {
      const step = nextRoutingStep(target, facts, now, options.holdout);
      switch (step.kind) {
        case 'readLastEntry':
          facts.lastEntry = lastEntries.get(target.triggerRun) ?? null;
          break;
        case 'signal':
          facts.reached = signal(target, step, now);
          break;
        case 'readProfile':
          facts.profile = profiles.get(customerId) ?? null;
          break;
        case 'enter':
          enter(playbook, event, step.entry);
          facts.entered = true;
          break;
        case 'done':
          return;
      }
    }
  };

  /**
   * Hands the event to the live runs a step names: all of the customer's in the playbook when it
   * says every live run (a run here is live until it ends, which is within maxDuration), else those
   * it lists. Reports the ones that took it.
   */
  const signal = (
    { playbook, customerId, event }: RoutingTarget,
    step: Extract<RoutingStep, { kind: 'signal' }>,
    now: number,
  ): string[] => {
    const every = step.everyLiveRunEnteredSince !== undefined;
    const reached: string[] = [];
    for (const id of [...(runsOf.get(owner(playbook.id, customerId)) ?? [])]) {
      const run = runs.get(id);
      if (!run || (!every && !step.runs.includes(id))) continue;
      settle(id, run, applyInput(playbook, run.state, { kind: 'event', event }, now), now);
      reached.push(id);
    }
    return reached;
  };

  const enter = (playbook: Playbook, event: JourneyEvent, entry: PlannedEntry): void => {
    const { journeyId, customerId, entryEventId, enteredAt } = entry;
    lastEntries.set(journeyId, { journeyId, enteredAt, entryEventId });
    const start = startRun(
      {
        playbook,
        journeyId,
        customerId,
        trigger: event,
        arm: entry.arm,
        ...(options.policy !== undefined && { policy: runPolicy(options.policy, playbook.id) }),
      },
      enteredAt,
    );
    const run: LiveRun = { playbook, state: start.state };
    runs.set(journeyId, run);
    const own = owner(playbook.id, customerId);
    runsOf.set(own, (runsOf.get(own) ?? new Set()).add(journeyId));
    settle(journeyId, run, start, enteredAt);
  };

  const route = (event: JourneyEvent, now: number, warmUp: boolean): void => {
    if (isFanOutEvent(event)) {
      if (isCatalogEvent(event)) {
        // Before the runs it reaches, as the client does it: a run entering now sees this state.
        const change = catalogChange(event);
        products.set(change.sku, applyCatalogChange(products.get(change.sku), change));
      }
      if (warmUp) return;
      // The same fan-out rule as the client, over in-memory indexes instead of MongoDB.
      for (const playbook of options.playbooks) {
        for (const customerId of fanOutAudience(playbook, event, audience)) {
          routeTo(playbook, event, customerId, now);
        }
      }
      return;
    }
    const changes = profileChanges(event);
    if (changes !== undefined) {
      const profile = profiles.get(event.customerId) ?? { customerId: event.customerId };
      profiles.set(event.customerId, applyChanges(profile, changes));
    }
    const maxima = profileMaxima(event);
    if (maxima !== undefined) {
      const profile = profiles.get(event.customerId) ?? { customerId: event.customerId };
      profiles.set(event.customerId, applyMaxima(profile, maxima));
    }
    const minima = profileMinima(event);
    if (minima !== undefined) {
      const profile = profiles.get(event.customerId) ?? { customerId: event.customerId };
      profiles.set(event.customerId, applyMinima(profile, minima));
    }
    audience.record(event, now);
    if (!warmUp) for (const playbook of options.playbooks) routeTo(playbook, event, event.customerId, now);
    // Armed in warm-up too: a cadence is history, and its timers may fall due after `from`.
    if (event.type === 'order.placed')
      for (const { key, command } of triggers.afterOrder(event)) timers.push(command.dueAt, key);
  };

  /** A computed event enters like a published one: once per eventId, through the same routing. */
  const inject = (event: ComputedEvent, at: number): void => {
    if (seen.has(event.eventId)) return;
    seen.add(event.eventId);
    computed.push(event);
    route(event, at, options.from !== undefined && at < options.from);
  };

  let count = 0;
  for (const { event, at } of ordered) {
    if (options.until !== undefined && at >= options.until) break;
    runTimersUntil(at);
    if (seen.has(event.eventId)) continue; // the same event published twice has the effect of once
    seen.add(event.eventId);
    count += 1;
    route(event, at, options.from !== undefined && at < options.from);
  }
  runTimersUntil(options.until ?? Number.POSITIVE_INFINITY);
  return { decisions, summary: summarize(decisions), events: count, computed };
}

/** The longest wait a playbook can be in, for choosing a simulation horizon. */
export function horizonOf(playbooks: readonly Playbook[]): number {
  return Math.max(0, ...playbooks.map((p) => parseDuration(p.maxDuration) ?? 0));
}
