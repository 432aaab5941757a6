/*
 * The one seeded generator of the code base. Offer decisions, the simulator's synthetic events, the
 * demo store, the lift checks and the benchmarks all draw from it, so a seed means the same stream
 * everywhere: a decision replays and simulates the same, and generated files are byte-identical.
 * Nothing here reads Math.random. Plenty for sampling and simulation; not for secrets.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** A generator that can be given a new seed: one per offer decision serves hundreds of offer streams. */
export interface Stream {
  random: Random;
  reseed(seed: number): void;
}

/** mulberry32 (Tommy Ettinger): a 32-bit state, tiny, fast and well mixed. */
export function stream(seed: number): Stream {
  let state = seed >>> 0;
  return {
    random: () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    reseed: (next) => {
      state = next >>> 0;
    },
  };
}

/** A seeded stream of uniform numbers in [0, 1): the same seed always gives the same sequence. */
export const mulberry32 = (seed: number): Random => stream(seed).random;
