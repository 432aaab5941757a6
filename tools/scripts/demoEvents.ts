import { DEMO_CURRENCY, type DemoProduct } from '../demo/catalog';
import { orderItem } from '../demo/context';
import { timersAfterOrder } from '../../engine/triggers/timerCommands';
import type { JourneyEventInput } from '../../schemas/events/schema';
import type { Collections } from '../../store/collections';
import { populationDays } from '../../store/reorderSamples';
import type { CastMember } from './demoCast';

/*
 * The events the playbook tour publishes for its cast, and the re-timing of a purchase whose
 * computed timer must fall due during the demo.
 */

export const DAY_MS = 86_400_000;
/** How soon a re-timed computed timer falls due: long enough to see it armed, short enough to wait for. */
export const TIMER_LEAD_MS = 6_000;

type ReorderPopulations = Collections['reorderPopulations'];

export const iso = (ms: number) => new Date(ms).toISOString();

export function order(
  member: CastMember,
  suffix: string,
  at: number,
  products: DemoProduct[],
  storeId?: string,
) {
  return {
    type: 'order.placed' as const,
    eventId: `evt-${member.customerId}-order-${suffix}`,
    customerId: member.customerId,
    occurredAt: iso(at),
    data: {
      orderId: `order-${member.customerId}-${suffix}`,
      items: products.map((p) => orderItem(p)),
      total: Math.round(products.reduce((sum, p) => sum + p.price, 0) * 100) / 100,
      currency: DEMO_CURRENCY,
      salesChannel: storeId === undefined ? ('online' as const) : ('store' as const),
      ...(storeId !== undefined && { storeId }),
    },
  };
}

export function delivered(member: CastMember, suffix: string, products: DemoProduct[]): JourneyEventInput {
  return {
    type: 'order.delivered',
    eventId: `evt-${member.customerId}-delivered-${suffix}`,
    customerId: member.customerId,
    occurredAt: iso(Date.now()),
    data: {
      orderId: `order-${member.customerId}-${suffix}`,
      categories: [...new Set(products.map((p) => p.category))].sort(),
    },
  };
}

export function envelope(member: CastMember, suffix: string) {
  return {
    eventId: `evt-${member.customerId}-${suffix}`,
    customerId: member.customerId,
    occurredAt: iso(Date.now()),
  };
}

/**
 * The timers an order of `product` alone arms for a customer with no orders before, relative to
 * the order (dueAt from an order at 0): the same pure rule the client arms with, fed the same
 * product population.
 */
export async function probeTimers(
  reorderPopulations: ReorderPopulations,
  member: CastMember,
  product: DemoProduct,
) {
  const population = await populationDays(reorderPopulations, product.sku);
  const probe = { at: 0, items: [{ sku: product.sku, name: product.name, category: product.category }] };
  return timersAfterOrder(member.customerId, probe, { orders: [probe], populationDays: () => population });
}

/** An order placed so long ago that the timer it arms (`kind`) falls due TIMER_LEAD_MS from now. */
export async function retimedOrder(
  reorderPopulations: ReorderPopulations,
  member: CastMember,
  product: DemoProduct,
  kind: 'replenishment' | 'lapse',
) {
  const commands = await probeTimers(reorderPopulations, member, product);
  const command = commands.find((c) => c.timerId.startsWith(`${kind}:`));
  if (command === undefined) throw new Error(`${product.sku} arms no ${kind} timer`);
  const at = Date.now() + TIMER_LEAD_MS - command.dueAt;
  return { event: order(member, kind, at, [product]), daysAgo: Math.round((Date.now() - at) / DAY_MS) };
}
