import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CartJourneyInput, CartPlaybookSnapshot } from '../engine/cartJourney';
import { journeyWorkflowId } from '../engine/ids';
import { parseEvent } from '../events/parse';
import type { JourneyEvent, JourneyEventInput } from '../events/schema';
import type { Collections } from '../store/collections';
import { acceptEvent, markRouted } from '../store/events';
import { eventSignal } from '../workflows/messages';
import { CustomerId, PlaybookId, PlaybookVersion } from '../workflows/searchAttributes';
import type { cartAbandonmentWorkflow } from '../workflows/cartAbandonment';

export interface JourneyClientDeps {
  temporal: Client;
  collections: Collections;
  taskQueue: string;
  cartPlaybook: CartPlaybookSnapshot;
  now?: () => Date;
}

export interface PublishResult {
  eventId: string;
  /** `duplicate`: this eventId was already accepted and routed; nothing was done. */
  status: 'accepted' | 'duplicate';
  /** Workflow IDs of the journeys the event reached. */
  deliveredTo: string[];
}

/**
 * The typed entry point for services. `publish` validates the event (throwing InvalidEventError
 * before anything reaches MongoDB or Temporal), records it in the inbox under its unique eventId,
 * then routes it to journeys. Publishing the same event again is safe: a routed event is dropped,
 * and one whose earlier publish died mid-way is routed again (the journey drops a repeat).
 */
export class JourneyClient {
  private readonly now: () => Date;

  constructor(private readonly deps: JourneyClientDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async publish(input: JourneyEventInput): Promise<PublishResult> {
    const event = parseEvent(input);
    const acceptance = await acceptEvent(this.deps.collections.events, event, this.now());
    if (acceptance.kind === 'duplicate') {
      return { eventId: event.eventId, status: 'duplicate', deliveredTo: acceptance.routedTo };
    }
    const deliveredTo = await this.route(event);
    await markRouted(this.deps.collections.events, event.eventId, deliveredTo);
    return { eventId: event.eventId, status: 'accepted', deliveredTo };
  }

  private async route(event: JourneyEvent): Promise<string[]> {
    const playbook = this.deps.cartPlaybook;
    const workflowId = journeyWorkflowId(playbook.id, event.customerId);
    if (event.type === 'cart.updated') {
      const input: CartJourneyInput = { schemaVersion: 1, customerId: event.customerId, playbook };
      await this.deps.temporal.workflow.signalWithStart<typeof cartAbandonmentWorkflow, [JourneyEvent]>(
        'cartAbandonmentWorkflow',
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
          staticSummary: `Cart abandonment for ${event.customerId}`,
          staticDetails: `Playbook ${playbook.id} v${playbook.version}; entered by event ${event.eventId}`,
        },
      );
      return [workflowId];
    }
    // An order only matters to a journey already running: it is an exit, never an entry.
    try {
      await this.deps.temporal.workflow.getHandle(workflowId).signal(eventSignal, event);
      return [workflowId];
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return [];
      throw error;
    }
  }
}
