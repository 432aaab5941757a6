import type { Collection } from 'mongodb';
import { catalogChange, toProduct, type ProductState } from '../engine/catalog/catalogProjection';
import type { Product } from '../engine/catalog/product';
import { orderingTime } from '../schemas/events/occurredAtWindow';
import type { CatalogEvent } from '../schemas/events/schema';
import { setIfNewer } from './setIfNewer';

/** A product's current stock and price, keyed by SKU; each part carries the time of its event. */
export interface ProductRecord {
  _id: string;
  stock?: { inStock: boolean; quantity?: number; at: Date };
  price?: { price: number; currency: string; at: Date };
  updatedAt: Date;
}

/**
 * Applies a catalog event to the product's state. Stock and price are written separately, each
 * only over an older value of its own: a late or replayed event never overwrites newer state, and
 * publishing the same event twice writes the same values.
 */
export async function applyCatalogEvent(
  products: Collection<ProductRecord>,
  event: CatalogEvent,
  now: Date,
): Promise<void> {
  const change = catalogChange(event);
  // Never later than now: an event dated ahead by a fast clock must not outrank the updates after it.
  const parts = [
    change.stock && {
      field: 'stock' as const,
      value: { ...change.stock, at: orderingTime(change.stock.at, now) },
    },
    change.price && {
      field: 'price' as const,
      value: { ...change.price, at: orderingTime(change.price.at, now) },
    },
  ];
  for (const part of parts) {
    if (part)
      await setIfNewer(products, change.sku, `${part.field}.at`, part.value.at, {
        [part.field]: part.value,
        updatedAt: now,
      });
  }
}

/**
 * The current state of these SKUs; one never described by a catalog event is left out. One point
 * read per SKU, side by side: FerretDB 1.24 answers `{_id: {$in: …}}` by reading every product.
 */
export async function findProducts(
  products: Collection<ProductRecord>,
  skus: readonly string[],
): Promise<Product[]> {
  const found = await Promise.all([...new Set(skus)].map((sku) => products.findOne({ _id: sku })));
  return found
    .flatMap((record) => (record === null ? [] : [toProduct(fromRecord(record))]))
    .sort((a, b) => (a.sku < b.sku ? -1 : 1));
}

function fromRecord(record: ProductRecord): ProductState {
  const { _id, stock, price } = record;
  return {
    sku: _id,
    ...(stock && { stock: { ...stock, at: stock.at.getTime() } }),
    ...(price && { price: { ...price, at: price.at.getTime() } }),
  };
}
