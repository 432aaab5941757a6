/**
 * Whether a write failed on a unique index (MongoDB's E11000): the store's idempotency rests on
 * that refusal, so most writes treat it as "already done". Its own module, below the record types,
 * so every store module can ask without importing collections.ts (which imports their records).
 */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
