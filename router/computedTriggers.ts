import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { DAY_MS } from '../engine/triggers/cadence';
import { markdownText } from '../engine/render/markdownText';
import {
  legacyTimerId,
  orderFact,
  ownReorderSamples,
  timersAfterOrder,
  timerWorkflowId,
  type TimerCommand,
} from '../engine/triggers/timerCommands';
import type { OrderPlaced } from '../schemas/events/schema';
import type { Collections } from '../store/collections';
import { recordOrder } from '../store/orderHistory';
import { populationDays, recordReorderSample } from '../store/reorderSamples';
import type { computedTriggerWorkflow } from '../workflows/computedTrigger';
import { CustomerId } from '../workflows/searchAttributes';
import { rearmSignal } from '../workflows/triggerMessages';
import { KeyedSerial } from '../store/keyedSerial';

/**
 * A computed moment this far in the past when its order arrives (a backfill of old orders) is not
 * armed: it would fire at once, about a purchase long since followed by others not yet imported.
 */
const STALE_AFTER_MS = DAY_MS;

export interface ComputedTriggerDeps {
  temporal: Client;
  collections: Pick<Collections, 'customerOrders' | 'reorderPopulations'>;
  taskQueue: string;
  now: () => Date;
}

/**
 * Arms the durable timers an order implies (replenishment per product, lapse per customer). Each
 * timer is one computedTriggerWorkflow, started or moved by signalWithStart; routing the same order
 * again sends the same commands, which change nothing.
 */
export class ComputedTriggers {
  /** A product's population is written by every customer who buys it: one write at a time per SKU. */
  private readonly populationWrites = new KeyedSerial();

  constructor(private readonly deps: ComputedTriggerDeps) {}

  /**
   * Every read and write here is by `_id` (the customer's order history, each product's
   * population), so an order costs the same however many events and samples are stored.
   */
  async afterOrder(event: OrderPlaced): Promise<TimerCommand[]> {
    const { customerOrders, reorderPopulations } = this.deps.collections;
    const order = orderFact(event);
    // The order joins the customer's history first: it is the newest of the history read here.
    const orders = await recordOrder(customerOrders, event.customerId, { eventId: event.eventId, ...order });
    // The customer's own interval joins the product's population first, as in the simulator.
    for (const sample of ownReorderSamples(event.customerId, order, orders))
      await this.populationWrites.run(sample.sku, () => recordReorderSample(reorderPopulations, sample));
    const population = new Map<string, number[]>();
    for (const sku of new Set(order.items.map((item) => item.sku)))
      population.set(sku, await populationDays(reorderPopulations, sku));
    const commands = timersAfterOrder(event.customerId, order, {
      orders,
      populationDays: (sku) => population.get(sku) ?? [],
    });
    const horizon = this.deps.now().getTime() - STALE_AFTER_MS;
    const armed = commands.filter((command) => command.dueAt >= horizon);
    for (const command of armed) {
      await this.arm(command);
      await this.retireLegacyTimer(command);
    }
    return armed;
  }

  /**
   * A timer armed before ID parts were escaped (a customer ID or SKU with `:`, `%`, `~` or a control
   * character) runs under its old ID; the command just armed under the new one replaces it, so it
   * is ended rather than left to fire as well. Only the customer's own: the old IDs were ambiguous.
   */
  private async retireLegacyTimer(command: TimerCommand): Promise<void> {
    const legacy = timerWorkflowId(legacyTimerId(command));
    if (legacy === timerWorkflowId(command.timerId)) return;
    const handle = this.deps.temporal.workflow.getHandle(legacy);
    try {
      const description = await handle.describe();
      if (description.status.name !== 'RUNNING') return;
      if (description.typedSearchAttributes.get(CustomerId) !== command.customerId) return;
      await handle.terminate(`replaced by ${timerWorkflowId(command.timerId)} (escaped timer ID)`);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }

  private async arm(command: TimerCommand): Promise<void> {
    await this.deps.temporal.workflow.signalWithStart<typeof computedTriggerWorkflow, [TimerCommand]>(
      'computedTriggerWorkflow',
      {
        workflowId: timerWorkflowId(command.timerId),
        taskQueue: this.deps.taskQueue,
        args: [{}],
        signal: rearmSignal,
        signalArgs: [command],
        typedSearchAttributes: [{ key: CustomerId, value: command.customerId }],
        staticSummary: markdownText(`${command.event.type} for ${command.customerId}`),
      },
    );
  }
}
