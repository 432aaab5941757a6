import type { CatalogEvent } from '../../schemas/events/schema';
import type { Product } from './product';

/*
 * What a catalog event changes in a product's state. Stock and price are kept apart, each with the
 * time of the event that last set it: an older event must not overwrite newer state, and a late
 * price drop is still news when a newer stock change has already been applied. One rule for
 * MongoDB (store/products.ts) and the simulator, so both agree.
 */

export interface StockState {
  inStock: boolean;
  quantity?: number;
  /** occurredAt of the event that set it, epoch ms. */
  at: number;
}

export interface PriceState {
  price: number;
  currency: string;
  at: number;
}

export interface CatalogChange {
  sku: string;
  stock?: StockState;
  price?: PriceState;
}

/** A product's state with the time behind each part, as both stores keep it. */
export interface ProductState {
  sku: string;
  stock?: StockState;
  price?: PriceState;
}

export function catalogChange(event: CatalogEvent): CatalogChange {
  const at = Date.parse(event.occurredAt);
  const { sku } = event.data;
  switch (event.type) {
    case 'product.back_in_stock': {
      const { quantity } = event.data;
      return { sku, stock: { inStock: true, ...(quantity !== undefined && { quantity }), at } };
    }
    case 'product.stock_changed': {
      const { inStock, quantity } = event.data;
      return { sku, stock: { inStock, ...(quantity !== undefined && { quantity }), at } };
    }
    case 'product.price_dropped':
      return { sku, price: { price: event.data.newPrice, currency: event.data.currency, at } };
    case 'product.launched': {
      // A launch says nothing about stock; its price counts only when it names the currency too.
      const { price, currency } = event.data;
      return price === undefined || currency === undefined
        ? { sku }
        : { sku, price: { price, currency, at } };
    }
  }
}

/** Applies a change in memory: each part only when it is at least as new as what is there. */
export function applyCatalogChange(current: ProductState | undefined, change: CatalogChange): ProductState {
  const next: ProductState = current ?? { sku: change.sku };
  const newer = <T extends { at: number }>(have: T | undefined, got: T | undefined): T | undefined =>
    got !== undefined && (have === undefined || have.at <= got.at) ? got : have;
  const stock = newer(next.stock, change.stock);
  const price = newer(next.price, change.price);
  return { sku: change.sku, ...(stock && { stock }), ...(price && { price }) };
}

/** What a recheck reads as `product.…`. */
export function toProduct(state: ProductState): Product {
  const { sku, stock, price } = state;
  return {
    sku,
    ...(stock && { inStock: stock.inStock }),
    ...(stock?.quantity !== undefined && { quantity: stock.quantity }),
    ...(price && { price: price.price, currency: price.currency }),
  };
}
