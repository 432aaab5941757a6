import type { Collection } from 'mongodb';
import type { HoldoutScheme } from '../engine/measurement/holdout';
import type { HoldoutSchemeRecord } from '../store/collections';
import { currentScheme, type HoldoutBootstrap } from '../store/holdouts';

/** Where the client gets the holdout scheme new entries are assigned with. */
export interface HoldoutSource {
  current(): Promise<HoldoutScheme>;
}

/**
 * The highest recorded epoch in MongoDB, re-read at most every `ttlMs`: one read per event would
 * double the client's reads for a value that changes a few times a year. The price is that a
 * reshuffle reaches new entries up to `ttlMs` late (5 s by default) on each client; entries in that
 * window carry the old epoch in their `holdoutEpoch`, so a report still puts them in the right scheme.
 */
export class StoredHoldoutScheme implements HoldoutSource {
  private cache: { at: number; scheme: HoldoutScheme } | undefined;

  constructor(
    private readonly schemes: Collection<HoldoutSchemeRecord>,
    private readonly bootstrap: HoldoutBootstrap,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async current(): Promise<HoldoutScheme> {
    const now = this.now();
    if (this.cache === undefined || now - this.cache.at >= this.ttlMs) {
      this.cache = { at: now, scheme: await currentScheme(this.schemes, this.bootstrap) };
    }
    return this.cache.scheme;
  }
}

/** One scheme for good, for tests and tools that do not read MongoDB. */
export function fixedHoldout(scheme: HoldoutScheme): HoldoutSource {
  return { current: () => Promise.resolve(scheme) };
}
