import type { Client } from '@temporalio/client';
import type { HoldoutScheme } from '../engine/measurement/holdout';
import {
  nextRoutingStep,
  routingTarget,
  type PlannedEntry,
  type RoutingFacts,
  type RoutingStep,
  type RoutingTarget,
} from '../engine/routing/routingPlan';
import { fanOutPlan } from '../engine/triggers/fanOut';
import { DEFAULT_OCCURRED_AT_WINDOW, type OccurredAtWindow } from '../schemas/events/occurredAtWindow';
import { parseEvent } from '../schemas/events/parse';
import {
  isCatalogEvent,
  isFanOutEvent,
  type FanOutEvent,
  type JourneyEvent,
  type JourneyEventInput,
} from '../schemas/events/schema';
import type { EventPublisher, PublishOutcome } from '../schemas/events/publisher';
import type { ConsentReader } from './http/unsubscribe';
import { fanOutIssues } from '../schemas/playbook/rules/fanOut';
import type { Playbook } from '../schemas/playbook/schema';
import type { ContactPolicy } from '../schemas/policy/schema';
import { audienceOf } from '../store/audience';
import type { Collections } from '../store/collections';
import type { HoldoutSource } from './holdoutSource';
import { fixedPlaybooks, versionLabel, type PlaybookSource } from './playbookSource';
import { lastEntry, recordEntry, recordEntryHead } from '../store/entries';
import { recentRuns, recordEntryRun } from '../store/entryRuns';
import { LiftMaintainer } from '../store/liftAttributions';
import { findRunSummary } from '../store/runSummaries';
import { acceptEvent, markRouted } from '../store/events';
import { applyProfileEvent, consentState, findProfile, type ConsentState } from '../store/profiles';
import { applyCatalogEvent } from '../store/products';
import { recordOfferEvidence } from '../store/offerEvidence';
import { ComputedTriggers } from './computedTriggers';
import { forEachConcurrently } from './pool';
import { publishBatch, type Routed } from './publishBatch';
import { ReachedRuns } from './reachedRuns';
import { signalCurrentRun } from './signalCurrentRun';
import { startJourneyRun } from './startRun';

export interface JourneyClientDeps {
  temporal: Client;
  collections: Collections;
  taskQueue: string;
  /** The definitions new runs start with: fixed ones, or the active versions in MongoDB. */
  playbooks: readonly Playbook[] | PlaybookSource;
  /** The holdout scheme new entries are assigned with: the recorded one, or a fixed one in tests. */
  holdout: HoldoutSource;
  /** The workspace contact policy new runs apply to their sends; omitted, sends are not capped. */
  policy?: ContactPolicy;
  now?: () => Date;
  /**
   * How far from `now` an event's occurredAt may lie (default: 5 minutes ahead, 10 years back);
   * `unchecked` accepts any date, for harnesses whose runs' clock is not `now` (time skipping).
   */
  occurredAtWindow?: OccurredAtWindow | 'unchecked';
  /** Customers whose events one publishEvents call publishes at once (default 16). */
  publishConcurrency?: number;
}

export interface PublishResult {
  eventId: string;
  /** `duplicate`: this eventId was already accepted and routed; nothing was done again. */
  status: 'accepted' | 'duplicate';
  /** Workflow IDs of the runs the event reached (entered or signalled); a fan-out lists the first 100. */
  deliveredTo: string[];
  /** How many runs the event reached, when that is more than deliveredTo lists. */
  deliveredCount?: number;
}

/** Entries a catalog event's fan-out starts at once: bounds the load on Temporal and MongoDB. */
const FAN_OUT_CONCURRENCY = 32;
/** Customers whose events one publishEvents call publishes at once, unless the deps say otherwise. */
const PUBLISH_CONCURRENCY = 16;
/** Workflow IDs a fan-out returns (and the inbox keeps); the rest are only counted. */
const DELIVERED_TO_LIMIT = 100;

/**
 * The typed entry point for services, and the router behind every way in (HTTP, CLI). Each event
 * is validated (InvalidEventError before anything reaches MongoDB or Temporal), stored in the
 * inbox under its unique eventId, applied to the profile, then routed: to the live runs that care
 * about it (repeats, goals, awaited events) and, when it triggers a playbook and the entry rules
 * allow, into a new run. Publishing an event again is safe: a routed event is dropped, and one
 * whose earlier publish died mid-way is routed again (runs drop a repeated eventId).
 */
export class JourneyClient implements EventPublisher, ConsentReader {
  private readonly now: () => Date;
  private readonly playbooks: PlaybookSource;
  private readonly triggers: ComputedTriggers;
  private readonly lift: LiftMaintainer;

  constructor(private readonly deps: JourneyClientDeps) {
    this.now = deps.now ?? (() => new Date());
    const { temporal, collections, taskQueue } = deps;
    this.triggers = new ComputedTriggers({ temporal, collections, taskQueue, now: this.now });
    this.lift = LiftMaintainer.of(collections, deps.policy?.offers);
    this.playbooks = Array.isArray(deps.playbooks)
      ? fixedPlaybooks(deps.playbooks)
      : (deps.playbooks as PlaybookSource);
    for (const playbook of 'current' in deps.playbooks ? [] : deps.playbooks) {
      // Playbooks built in code skip the validator: a fan-out mistake fails here, not at routing.
      const [issue] = fanOutIssues(playbook);
      if (issue) throw new Error(`playbook ${playbook.id}: ${issue.path}: ${issue.message}`);
    }
  }

  async publishEvent(input: JourneyEventInput): Promise<PublishResult> {
    const receivedAt = this.now();
    const event = this.parse(input, receivedAt);
    const acceptance = await acceptEvent(this.deps.collections.events, event, receivedAt);
    if (acceptance.kind === 'duplicate') {
      const { routedTo, routedCount } = acceptance;
      return {
        eventId: event.eventId,
        status: 'duplicate',
        deliveredTo: routedTo,
        ...(routedCount !== undefined && { deliveredCount: routedCount }),
      };
    }
    const { deliveredTo, count } = await this.route(event);
    const deliveredCount = count > deliveredTo.length ? count : undefined;
    await markRouted(this.deps.collections.events, event.eventId, deliveredTo, deliveredCount);
    return {
      eventId: event.eventId,
      status: 'accepted',
      deliveredTo,
      ...(deliveredCount !== undefined && { deliveredCount }),
    };
  }

  /** One consent of a customer as the profile holds it now: the unsubscribe endpoint acts on it. */
  consentOf(customerId: string, channel: string, purpose: string): Promise<ConsentState> {
    return consentState(this.deps.collections.profiles, customerId, channel, purpose);
  }

  /**
   * Publishes a batch with bulk writes (router/publishBatch.ts), each event on its own: a bad one is
   * reported and the rest go on. Each customer's events are published in the order given;
   * different customers' go side by side, at most `publishConcurrency` at a time
   * (router/publishStages.ts), which is what keeps a large HTTP batch within an ordinary client
   * timeout.
   */
  publishEvents(inputs: readonly unknown[]): Promise<PublishOutcome[]> {
    return publishBatch(inputs, {
      events: this.deps.collections.events,
      concurrency: this.deps.publishConcurrency ?? PUBLISH_CONCURRENCY,
      now: () => this.now(),
      parse: (input, receivedAt) => this.parse(input, receivedAt),
      route: (event) => this.route(event),
    });
  }

  /** Validates an event as received at `receivedAt`: InvalidEventError before anything is stored. */
  private parse(input: unknown, receivedAt: Date): JourneyEvent {
    const window = this.deps.occurredAtWindow ?? DEFAULT_OCCURRED_AT_WINDOW;
    return parseEvent(input, window === 'unchecked' ? undefined : { receivedAt, window });
  }

  private async route(event: JourneyEvent): Promise<Routed> {
    if (isCatalogEvent(event)) {
      // Catalog state first, like a profile: runs this event enters, and every later send's
      // recheck, read the product as it now stands.
      await applyCatalogEvent(this.deps.collections.products, event, this.now());
      return this.fanOut(event);
    }
    // A seasonal moment changes no stored state: it only reaches its cohort.
    if (isFanOutEvent(event)) return this.fanOut(event);
    await applyProfileEvent(this.deps.collections.profiles, event, this.now());
    // Before routing, like the profile: an offer redeemed by this order no longer counts as free.
    await recordOfferEvidence(this.deps.collections, event);
    // One scheme for the whole event, so a reshuffle never splits one event's entries.
    const scheme = await this.deps.holdout.current();
    const deliveredTo: string[] = [];
    for (const playbook of await this.playbooks.current()) {
      deliveredTo.push(...(await this.routeTo(playbook, event, event.customerId, scheme)));
    }
    // After routing, so an entry this event made is in place (and never counts its own trigger).
    await this.lift.routed(event, await this.playbooks.current());
    // After routing, so a run this order ends is gone before its replenishment is re-armed.
    if (event.type === 'order.placed') await this.triggers.afterOrder(event);
    return { deliveredTo, count: deliveredTo.length };
  }

  /**
   * A catalog event goes to each customer a playbook's fan-out reaches, through the same path as
   * a customer event. Customers stream from MongoDB in pages and enter a bounded number at a time.
   * A publish that dies mid-way is routed again in full: live runs drop the repeated event, and a
   * run re-entered by it finds its messages' idempotency keys already used.
   */
  private async fanOut(event: FanOutEvent): Promise<Routed> {
    const reached = new ReachedRuns(DELIVERED_TO_LIMIT);
    const scheme = await this.deps.holdout.current();
    for (const playbook of await this.playbooks.current()) {
      const plan = fanOutPlan(playbook, event);
      if (plan === undefined) continue;
      await forEachConcurrently(
        audienceOf(this.deps.collections, plan),
        FAN_OUT_CONCURRENCY,
        async (customerId) => reached.add(await this.routeTo(playbook, event, customerId, scheme)),
      );
    }
    return { deliveredTo: reached.first(), count: reached.count };
  }

  /**
   * One customer's share of an event: to their live runs of the playbook, or into a new one. The
   * rule is engine/routing/routingPlan.ts; this only carries out its steps on Temporal and MongoDB.
   */
  private async routeTo(
    playbook: Playbook,
    event: JourneyEvent,
    customerId: string,
    scheme: HoldoutScheme,
  ): Promise<string[]> {
    const target = routingTarget(playbook, event, customerId);
    const now = this.now();
    const facts: RoutingFacts = {};
    for (;;) {
      const step = nextRoutingStep(target, facts, now.getTime(), scheme);
      switch (step.kind) {
        case 'readLastEntry': {
          const { entryHeads } = this.deps.collections;
          const head = await lastEntry(entryHeads, playbook.id, customerId, target.keyValue);
          // Whether that run recorded its end: an ended run is not signalled (routingPlan.ts).
          const run =
            head &&
            (await findRunSummary(this.deps.collections.runSummaries, head.journeyId, head.entryEventId));
          facts.lastEntry = head && {
            journeyId: head.journeyId,
            enteredAt: head.enteredAt.getTime(),
            entryEventId: head.entryEventId,
            ...(run?.outcome !== undefined && { closed: true }),
          };
          break;
        }
        case 'signal':
          facts.reached = await this.signalEach(target, step);
          break;
        case 'readProfile':
          facts.profile = await findProfile(this.deps.collections.profiles, customerId);
          break;
        case 'enter':
          await this.enter(playbook, event, step.entry);
          facts.entered = true;
          break;
        case 'done':
          return step.reached;
      }
    }
  }

  /** Signals the runs a step names, and reports the ones a live run took the event in. */
  private async signalEach(
    { playbook, customerId, event }: RoutingTarget,
    step: Extract<RoutingStep, { kind: 'signal' }>,
  ): Promise<string[]> {
    const { runs, everyLiveRunEnteredSince: since } = step;
    const recent =
      since === undefined
        ? []
        : await recentRuns(this.deps.collections.entryRuns, playbook.id, customerId, new Date(since));
    const reached: string[] = [];
    for (const id of [...recent, ...runs.filter((id) => !recent.includes(id))]) {
      if (await signalCurrentRun(this.deps.temporal, id, event)) reached.push(id);
    }
    return reached;
  }

  /** Records the planned entry (entries, head, recent runs), then starts its run. */
  private async enter(playbook: Playbook, event: JourneyEvent, planned: PlannedEntry): Promise<void> {
    const entry = {
      journeyId: planned.journeyId,
      playbookId: planned.playbookId,
      playbookVersion: playbook.version,
      playbookLabel: versionLabel(playbook),
      customerId: planned.customerId,
      ...(planned.keyValue !== undefined && { keyValue: planned.keyValue }),
      entryEventId: planned.entryEventId,
      arm: planned.arm,
      holdoutEpoch: planned.holdoutEpoch,
      enteredAt: new Date(planned.enteredAt),
    };
    await recordEntry(this.deps.collections.entries, entry);
    await recordEntryHead(this.deps.collections.entryHeads, entry);
    await recordEntryRun(this.deps.collections.entryRuns, entry);
    await this.lift.entered(playbook, event, entry);
    await startJourneyRun(this.deps.temporal, this.deps.taskQueue, {
      workflowId: planned.journeyId,
      playbook,
      customerId: planned.customerId,
      arm: planned.arm,
      trigger: event,
      ...(this.deps.policy !== undefined && { policy: this.deps.policy }),
    });
  }
}
