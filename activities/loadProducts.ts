import type { Collection } from 'mongodb';
import type { Product } from '../engine/catalog/product';
import { findProducts, type ProductRecord } from '../store/products';

/** Reads the current catalog state of a send's products, for its recheck; a SKU never seen is left out. */
export function createLoadProducts(deps: { products: Collection<ProductRecord> }) {
  return async function loadProducts(skus: string[]): Promise<Product[]> {
    return findProducts(deps.products, skus);
  };
}
