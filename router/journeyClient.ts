import type { Client } from '@temporalio/client';
import type { Arm, HoldoutScheme } from '../engine/measurement/holdout';
import { decideEntry, entryKeyValue, journeyId } from '../engine/interpreter/entry';
import { legacyJourneyId } from '../engine/ids/journeyKeys';
import { liveRoute, type LiveRoute } from '../engine/interpreter/liveRoute';
import { parseDuration } from '../engine/time/duration';
import { fanOutPlan } from '../engine/triggers/fanOut';
import { DEFAULT_OCCURRED_AT_WINDOW, type OccurredAtWindow } from '../schemas/events/occurredAtWindow';
import { InvalidEventError, parseEvent } from '../schemas/events/parse';
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
import { acceptEvent, markRouted } from '../store/events';
import { applyProfileEvent, consentState, findProfile, type ConsentState } from '../store/profiles';
import { applyCatalogEvent } from '../store/products';
import { recordOfferEvidence } from '../store/offerEvidence';
import { ComputedTriggers } from './computedTriggers';
import { forEachConcurrently } from './pool';
import { publishStages } from './publishStages';
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

interface NewEntry {
  workflowId: string;
  keyValue: string | undefined;
  arm: Arm;
  /** The scheme that assigned `arm`, recorded so entries of different schemes can be told apart. */
  holdoutEpoch: number;
}

interface Routed {
  deliveredTo: string[];
  count: number;
}

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

  constructor(private readonly deps: JourneyClientDeps) {
    this.now = deps.now ?? (() => new Date());
    const { temporal, collections, taskQueue } = deps;
    this.triggers = new ComputedTriggers({ temporal, collections, taskQueue, now: this.now });
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
    const window = this.deps.occurredAtWindow ?? DEFAULT_OCCURRED_AT_WINDOW;
    const event = parseEvent(input, window === 'unchecked' ? undefined : { receivedAt, window });
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
   * Publishes each event on its own: a bad one is reported and the rest go on. Each customer's
   * events are published in the order given; different customers' go side by side, at most
   * `publishConcurrency` at a time (router/publishStages.ts), which is what keeps a large HTTP batch
   * within an ordinary client timeout.
   */
  async publishEvents(inputs: readonly unknown[]): Promise<PublishOutcome[]> {
    const outcomes: PublishOutcome[] = [];
    for (const lanes of publishStages(inputs)) {
      await forEachConcurrently(lanes, this.deps.publishConcurrency ?? PUBLISH_CONCURRENCY, async (lane) => {
        for (const index of lane) outcomes[index] = await this.publishOutcome(index, inputs[index]);
      });
    }
    return outcomes;
  }

  private async publishOutcome(index: number, input: unknown): Promise<PublishOutcome> {
    try {
      return { index, ...(await this.publishEvent(input as JourneyEventInput)) };
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      const eventId = (input as { eventId?: unknown } | null)?.eventId;
      return {
        index,
        status: 'rejected',
        issues: error.issues,
        ...(typeof eventId === 'string' && { eventId }),
      };
    }
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

  /** One customer's share of an event: to their live runs of the playbook, or into a new one. */
  private async routeTo(
    playbook: Playbook,
    event: JourneyEvent,
    customerId: string,
    scheme: HoldoutScheme,
  ): Promise<string[]> {
    const reached: string[] = [];
    const keyValue = entryKeyValue(playbook, event);
    const triggerRun = journeyId(playbook.id, customerId, keyValue);
    const readLast = () => lastEntry(this.deps.collections.entryHeads, playbook.id, customerId, keyValue);
    // A run entered before ID parts were escaped (a `:`, `%` or `~` in the customer ID or key) runs under
    // the unescaped ID its entry recorded: it is signalled there, and counts as this trigger's run. Only
    // such a customer needs the entry head before signalling; for everyone else it is read, as before,
    // only when no live run took the event, so an event for a live run costs no extra read.
    const early =
      legacyJourneyId(playbook.id, customerId, keyValue) !== triggerRun ? await readLast() : undefined;
    const legacyRun = early != null && early.journeyId !== triggerRun ? early.journeyId : undefined;
    const route = liveRoute(playbook, event);
    if (route !== undefined) {
      const candidates = await this.liveCandidates(playbook, customerId, route);
      if (legacyRun !== undefined && !candidates.includes(legacyRun)) candidates.push(legacyRun);
      for (const id of candidates) {
        if (await this.signal(id, event)) reached.push(id);
      }
    }
    // A live run handles a repeated trigger itself.
    if (reached.includes(triggerRun) || (legacyRun !== undefined && reached.includes(legacyRun)))
      return reached;
    const last = early !== undefined ? early : await readLast();
    const profile = await findProfile(this.deps.collections.profiles, customerId);
    const now = this.now();
    // The entry this very event made, found again when its publish is retried after failing
    // mid-way (Temporal unreachable, say): entering again is the same run, not a re-entry.
    const past =
      last && last.entryEventId !== event.eventId ? { enteredAt: last.enteredAt.getTime() } : undefined;
    const decision = decideEntry(playbook, event, customerId, profile, past, now.getTime(), scheme);
    if (!decision.enter) return reached;
    const entry = { workflowId: triggerRun, keyValue, arm: decision.arm, holdoutEpoch: scheme.epoch };
    await this.enter(playbook, event, customerId, entry, now);
    return [...reached, triggerRun];
  }

  /** Runs that may be live for this customer: the one the event's key names, or every recent entry. */
  private async liveCandidates(playbook: Playbook, customerId: string, route: LiveRoute): Promise<string[]> {
    if (route.kind === 'one') return [journeyId(playbook.id, customerId, route.keyValue)];
    const since = new Date(this.now().getTime() - (parseDuration(playbook.maxDuration) ?? 0));
    return recentRuns(this.deps.collections.entryRuns, playbook.id, customerId, since);
  }

  private signal(workflowId: string, event: JourneyEvent): Promise<boolean> {
    return signalCurrentRun(this.deps.temporal, workflowId, event);
  }

  private async enter(
    playbook: Playbook,
    event: JourneyEvent,
    customerId: string,
    { workflowId, keyValue, arm, holdoutEpoch }: NewEntry,
    now: Date,
  ): Promise<void> {
    const entry = {
      journeyId: workflowId,
      playbookId: playbook.id,
      playbookVersion: playbook.version,
      playbookLabel: versionLabel(playbook),
      customerId,
      ...(keyValue !== undefined && { keyValue }),
      entryEventId: event.eventId,
      arm,
      holdoutEpoch,
      enteredAt: now,
    };
    await recordEntry(this.deps.collections.entries, entry);
    await recordEntryHead(this.deps.collections.entryHeads, entry);
    await recordEntryRun(this.deps.collections.entryRuns, entry);
    await startJourneyRun(this.deps.temporal, this.deps.taskQueue, {
      workflowId,
      playbook,
      customerId,
      arm,
      trigger: event,
      ...(this.deps.policy !== undefined && { policy: this.deps.policy }),
    });
  }
}
