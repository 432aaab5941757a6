/*
 * Bounds that the configuration schema (env.ts) checks and the router and the activities enforce.
 * They live here, below both, so that validating the environment never imports the HTTP server or
 * the unsubscribe tokens.
 */

/**
 * Events one HTTP request may carry (INGEST_MAX_EVENTS_PER_REQUEST). A request is answered once
 * every event in it is published, so this bounds the answer time, which must stay inside a client's
 * ordinary timeout: a 1 MiB body could otherwise hold several thousand events and take half a
 * minute. tools/bench/ingestBatch.ts measures it: publishing a batch's customers side by side
 * (router/publishStages.ts) answers 100 events 5.5 times sooner than one by one on the same
 * machine; at the 24 ms per event measured one by one on a quiet dev stack, 100 events answer in
 * well under a second. Larger batches are a setting away, for services that can wait.
 */
export const DEFAULT_MAX_EVENTS_PER_REQUEST = 100;
export const MAX_EVENTS_PER_REQUEST_VARIABLE = 'INGEST_MAX_EVENTS_PER_REQUEST';

/** Unsubscribe-token secrets (HMAC-SHA256 keys) shorter than this are guessable long before the hash is. */
export const MIN_SECRET_LENGTH = 32;
