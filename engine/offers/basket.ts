import type { OfferSettings } from '../../schemas/policy/schema';

/*
 * The basket an offer decision and the lift report judge: what a cart or an order is worth, what
 * it cost the shop, and which categories it is made of. Pure: the decideOffer activity, the
 * simulator and the lift report read baskets the same way.
 */

export interface BasketLine {
  category?: string;
  /** Unit price. */
  price: number;
  quantity: number;
  /** Unit cost, when the event says; else the category's cost ratio applies. */
  cost?: number;
}

export interface Basket {
  value: number;
  /** Cost of goods: item costs where given, else price × the category's cost ratio. */
  cost: number;
  units: number;
  /** Mean price of one unit: the price point partner offers are matched to. */
  averageUnitPrice: number;
  /** Categories in the basket, most spent first (ties by name). */
  categories: string[];
}

export type CostModel = Pick<OfferSettings, 'defaultCostRatio' | 'costRatios'>;

export const EMPTY_BASKET: Basket = { value: 0, cost: 0, units: 0, averageUnitPrice: 0, categories: [] };

/** The share of a category's price that is cost of goods. */
export function costRatio(model: CostModel, category: string | undefined): number {
  return (category === undefined ? undefined : model.costRatios[category]) ?? model.defaultCostRatio;
}

export function basketOf(lines: readonly BasketLine[], model: CostModel): Basket {
  let value = 0;
  let cost = 0;
  let units = 0;
  const spend = new Map<string, number>();
  for (const line of lines) {
    const amount = line.price * line.quantity;
    value += amount;
    units += line.quantity;
    cost += (line.cost ?? line.price * costRatio(model, line.category)) * line.quantity;
    if (line.category !== undefined) spend.set(line.category, (spend.get(line.category) ?? 0) + amount);
  }
  const categories = [...spend.entries()]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([category]) => category);
  return { value, cost, units, averageUnitPrice: units > 0 ? value / units : 0, categories };
}

/**
 * The basket a trigger carries: an order's, a cart's or a checkout's items (goods only: shipping
 * and tax in an order's total are not margin). A trigger with a total but no items is valued at
 * its total with the default cost ratio; other triggers carry an empty basket.
 */
export function triggerBasket(trigger: { type: string; data: unknown }, model: CostModel): Basket {
  const data = trigger.data as {
    total?: unknown;
    items?: { category?: string; price?: number; unitPrice?: number; quantity?: number; cost?: number }[];
  };
  const items = Array.isArray(data.items) ? data.items : [];
  const lines: BasketLine[] = items.map((item) => ({
    ...(item.category !== undefined && { category: item.category }),
    // unitPrice: a decideOffer activity scheduled before the rename retries with its recorded input.
    price: item.price ?? item.unitPrice ?? 0,
    quantity: item.quantity ?? 1,
    ...(item.cost !== undefined && { cost: item.cost }),
  }));
  const basket = basketOf(lines, model);
  if (typeof data.total === 'number' && lines.length === 0)
    return { ...basket, value: data.total, cost: data.total * model.defaultCostRatio };
  return basket;
}
