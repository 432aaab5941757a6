import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { assignArm } from '../engine/holdout';
import {
  entryKeyValue,
  eventsOfInterest,
  journeyId,
  reentryAllowed,
  triggers,
} from '../engine/interpreter/entry';
import { parseDuration } from '../engine/duration';
import { InvalidEventError, parseEvent } from '../events/parse';
import {
  CATALOG_EVENT_TYPES,
  type CustomerEvent,
  type JourneyEvent,
  type JourneyEventInput,
} from '../events/schema';
import type { EventPublisher, PublishOutcome } from '../ingest/publisher';
import type { Playbook } from '../playbooks/schema';
import type { Collections } from '../store/collections';
import { lastEntry, recentEntries, recordEntry } from '../store/entries';
import { acceptEvent, markRouted } from '../store/events';
import { applyProfileEvent, findProfile } from '../store/profiles';
import type { JourneyInput, journeyWorkflow } from '../workflows/journey';
import { eventSignal } from '../workflows/messages';
import { CustomerId, PlaybookId, PlaybookVersion } from '../workflows/searchAttributes';

export interface JourneyClientDeps {
  temporal: Client;
  collections: Collections;
  taskQueue: string;
  /** The active playbooks, validated. New runs start with these definitions. */
  playbooks: readonly Playbook[];
  holdoutSalt: string;
  now?: () => Date;
}

export interface PublishResult {
  eventId: string;
  /** `duplicate`: this eventId was already accepted and routed; nothing was done again. */
  status: 'accepted' | 'duplicate';
  /** Workflow IDs of the runs the event reached (entered or signalled). */
  deliveredTo: string[];
}

/**
 * The typed entry point for services, and the router behind every way in (HTTP, CLI). Each event
 * is validated (InvalidEventError before anything reaches MongoDB or Temporal), stored in the
 * inbox under its unique eventId, applied to the profile, then routed: to the live runs that care
 * about it (repeats, goals, awaited events) and, when it triggers a playbook and the entry rules
 * allow, into a new run. Publishing an event again is safe: a routed event is dropped, and one
 * whose earlier publish died mid-way is routed again (runs drop a repeated eventId).
 */
export class JourneyClient implements EventPublisher {
  private readonly now: () => Date;

  constructor(private readonly deps: JourneyClientDeps) {
    this.now = deps.now ?? (() => new Date());
    for (const playbook of deps.playbooks) {
      if ((CATALOG_EVENT_TYPES as string[]).includes(playbook.trigger.event)) {
        // Fan-out of catalog events to wishlisters, viewers and tiers is not built yet.
        throw new Error(
          `playbook ${playbook.id}: catalog-triggered playbooks (fan-out) are not supported yet`,
        );
      }
    }
  }

  async publishEvent(input: JourneyEventInput): Promise<PublishResult> {
    const event = parseEvent(input);
    const acceptance = await acceptEvent(this.deps.collections.events, event, this.now());
    if (acceptance.kind === 'duplicate') {
      return { eventId: event.eventId, status: 'duplicate', deliveredTo: acceptance.routedTo };
    }
    const deliveredTo = await this.route(event);
    await markRouted(this.deps.collections.events, event.eventId, deliveredTo);
    return { eventId: event.eventId, status: 'accepted', deliveredTo };
  }

  /** Publishes each event on its own, in order: a bad one is reported and the rest go on. */
  async publishEvents(inputs: readonly unknown[]): Promise<PublishOutcome[]> {
    const outcomes: PublishOutcome[] = [];
    for (const [index, input] of inputs.entries()) {
      try {
        const result = await this.publishEvent(input as JourneyEventInput);
        outcomes.push({ index, ...result });
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error;
        const eventId = (input as { eventId?: unknown } | null)?.eventId;
        outcomes.push({
          index,
          status: 'rejected',
          issues: error.issues,
          ...(typeof eventId === 'string' && { eventId }),
        });
      }
    }
    return outcomes;
  }

  private async route(event: JourneyEvent): Promise<string[]> {
    if (!('customerId' in event)) return [];
    await applyProfileEvent(this.deps.collections.profiles, event, this.now());
    const deliveredTo: string[] = [];
    for (const playbook of this.deps.playbooks) {
      deliveredTo.push(...(await this.routeTo(playbook, event)));
    }
    return deliveredTo;
  }

  private async routeTo(playbook: Playbook, event: CustomerEvent): Promise<string[]> {
    const reached: string[] = [];
    const keyValue = entryKeyValue(playbook, event);
    const triggerRun = journeyId(playbook.id, event.customerId, keyValue);
    if (eventsOfInterest(playbook).has(event.type)) {
      for (const id of await this.liveCandidates(playbook, event, keyValue)) {
        if (await this.signal(id, event)) reached.push(id);
      }
    }
    if (reached.includes(triggerRun)) return reached; // a live run handles a repeated trigger itself
    const profile = await findProfile(this.deps.collections.profiles, event.customerId);
    if (!triggers(playbook, event, profile)) return reached;
    const now = this.now();
    const last = await lastEntry(this.deps.collections.entries, playbook.id, event.customerId, keyValue);
    if (
      !reentryAllowed(playbook, last ? { enteredAt: last.enteredAt.getTime() } : undefined, now.getTime())
    ) {
      return reached;
    }
    await this.enter(playbook, event, triggerRun, keyValue, now);
    return [...reached, triggerRun];
  }

  /** Runs that may be live for this customer: the keyed one, or every recent entry when unkeyed by the event. */
  private async liveCandidates(
    playbook: Playbook,
    event: CustomerEvent,
    keyValue: string | undefined,
  ): Promise<string[]> {
    if (playbook.entry.key === undefined || keyValue !== undefined) {
      return [journeyId(playbook.id, event.customerId, keyValue)];
    }
    const since = new Date(this.now().getTime() - (parseDuration(playbook.maxDuration) ?? 0));
    const recent = await recentEntries(this.deps.collections.entries, playbook.id, event.customerId, since);
    return [...new Set(recent.map((entry) => entry.journeyId))];
  }

  private async signal(workflowId: string, event: JourneyEvent): Promise<boolean> {
    try {
      await this.deps.temporal.workflow.getHandle(workflowId).signal(eventSignal, event);
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  private async enter(
    playbook: Playbook,
    event: CustomerEvent,
    workflowId: string,
    keyValue: string | undefined,
    now: Date,
  ): Promise<void> {
    const arm = assignArm(event.customerId, this.deps.holdoutSalt, playbook.holdoutPercent);
    await recordEntry(this.deps.collections.entries, {
      journeyId: workflowId,
      playbookId: playbook.id,
      playbookVersion: playbook.version,
      customerId: event.customerId,
      ...(keyValue !== undefined && { keyValue }),
      entryEventId: event.eventId,
      arm,
      enteredAt: now,
    });
    const input: JourneyInput = {
      schemaVersion: 1,
      playbook,
      customerId: event.customerId,
      arm,
      trigger: event,
    };
    // If another publisher started this run a moment ago, this only signals it, which is harmless.
    await this.deps.temporal.workflow.signalWithStart<typeof journeyWorkflow, [JourneyEvent]>(
      'journeyWorkflow',
      {
        workflowId,
        taskQueue: this.deps.taskQueue,
        args: [input],
        signal: eventSignal,
        signalArgs: [event],
        typedSearchAttributes: [
          { key: CustomerId, value: event.customerId },
          { key: PlaybookId, value: playbook.id },
          { key: PlaybookVersion, value: String(playbook.version) },
        ],
        staticSummary: `${playbook.name} for ${event.customerId}`,
        staticDetails: `Playbook ${playbook.id} v${playbook.version}; entered by ${event.type} ${event.eventId}`,
      },
    );
  }
}
