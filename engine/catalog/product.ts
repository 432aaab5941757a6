/**
 * What the engine knows about a product right now, built from catalog events (`product.*`). A send
 * step's `recheck` reads it as `product.…` (the trigger's `data.sku`), fresh at each attempt.
 * Plain data: the workflow and the simulator both read it.
 */
export interface Product {
  sku: string;
  /** Absent until a restock or stock change has said either way. */
  inStock?: boolean;
  quantity?: number;
  /** The current price, from the latest price drop or launch that named one. */
  price?: number;
  currency?: string;
}

/** The fields a recheck may read under `product.`. */
export const PRODUCT_FIELDS = ['sku', 'inStock', 'quantity', 'price', 'currency'] as const;
