import { MAX_ORDER_HISTORY, POPULATION_SAMPLE_SIZE } from '../engine/triggers/cadence';
import {
  orderFact,
  ownReorderSamples,
  supersedes,
  timersAfterOrder,
  timerWorkflowId,
  type ComputedEvent,
  type OrderFact,
  type ReorderSample,
  type TimerCommand,
} from '../engine/triggers/timerCommands';
import type { OrderPlaced } from '../schemas/events/schema';

/**
 * The simulator's twin of router/computedTriggers.ts and computedTriggerWorkflow: the same timer
 * commands from the same order history and product samples, held in memory. Each armed timer is
 * keyed by its workflow ID, so re-arming replaces it exactly as a `rearm` signal does.
 */
export class MemoryComputedTriggers {
  /** Each customer's latest orders, oldest first, as `ordersUntil` reads them from the inbox. */
  private readonly orders = new Map<string, OrderFact[]>();
  /** By SKU, then `<sku>|<customerId>` as the sample's `_id` in `reorder_samples`. */
  private readonly samples = new Map<string, Map<string, ReorderSample>>();
  private readonly armed = new Map<string, TimerCommand>();

  /** Records the order and returns the timers it (re)armed: push each at `dueAt` under its `timerKey`. */
  afterOrder(event: OrderPlaced): { key: string; command: TimerCommand }[] {
    const order = orderFact(event);
    const history = [...(this.orders.get(event.customerId) ?? []), order]
      .sort((a, b) => a.at - b.at)
      .slice(-MAX_ORDER_HISTORY);
    this.orders.set(event.customerId, history);
    for (const sample of ownReorderSamples(event.customerId, order, history)) this.record(sample);
    const commands = timersAfterOrder(event.customerId, order, {
      orders: history,
      populationDays: (sku) => this.populationDays(sku),
    });
    return commands.flatMap((command) => {
      const key = timerWorkflowId(command.timerId);
      if (!supersedes(command, this.armed.get(key))) return [];
      this.armed.set(key, command);
      return [{ key, command }];
    });
  }

  /** The event of the timer under `key` when it is still armed for `at`, disarming it; else undefined. */
  fire(key: string, at: number): ComputedEvent | undefined {
    const command = this.armed.get(key);
    if (command === undefined || command.dueAt !== at) return undefined; // moved or fired since
    this.armed.delete(key);
    return command.event;
  }

  private record(sample: ReorderSample): void {
    const bySku = this.samples.get(sample.sku) ?? new Map<string, ReorderSample>();
    const id = `${sample.sku}|${sample.customerId}`;
    const current = bySku.get(id);
    if (current === undefined || current.at <= sample.at) bySku.set(id, sample);
    this.samples.set(sample.sku, bySku);
  }

  /** The most recent samples first, ties by `_id`: the order of the `sku_recent` query. */
  private populationDays(sku: string): number[] {
    return [...(this.samples.get(sku)?.entries() ?? [])]
      .sort(([idA, a], [idB, b]) => b.at - a.at || (idA < idB ? -1 : idA > idB ? 1 : 0))
      .slice(0, POPULATION_SAMPLE_SIZE)
      .map(([, sample]) => sample.days);
  }
}
