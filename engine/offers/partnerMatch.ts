import { CATEGORY_ADJACENCY } from './offerCategories.data';

/*
 * Which partner categories fit a purchase. A partner offer belongs next to what is bought with the
 * purchase (running socks next to running shoes): that is the strong match. The purchase's own
 * category is a weaker one (another brand of what was just bought), allowed only where the offer
 * does not exclude it. Any other category does not fit, so its partner offers are never looked at.
 */

export type MatchStrength = 'adjacent' | 'same';

export interface CategoryMatch {
  /** The partner category that fits. */
  category: string;
  strength: MatchStrength;
  /** The purchased category it fits: the one it is adjacent to, or itself. */
  purchased: string;
}

/**
 * A same-category partner offer's sampled engagement is scaled by this. Its learned counts are
 * pooled with adjacent showings under the basket's primary category, so without it an offer for
 * another brand of what was just bought would be scored as if it completed the purchase; halving
 * is a deliberately plain, documented handicap rather than a learned one.
 */
export const SAME_CATEGORY_ENGAGEMENT = 0.5;

type Adjacency = Readonly<Record<string, readonly string[]>>;

// Settings objects live as long as the loaded policy: memoising per object keeps the symmetric
// closure from being rebuilt on every decision without holding on to old policies.
const symmetric = new WeakMap<Adjacency, ReadonlyMap<string, readonly string[]>>();

/** The adjacency made symmetric: workspace settings may list a pair one way only. */
export function symmetricAdjacency(adjacency: Adjacency): ReadonlyMap<string, readonly string[]> {
  const known = symmetric.get(adjacency);
  if (known !== undefined) return known;
  const sets = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => {
    let set = sets.get(a);
    if (set === undefined) sets.set(a, (set = new Set()));
    set.add(b);
  };
  for (const [category, others] of Object.entries(adjacency)) {
    for (const other of others) {
      if (other === category) continue;
      link(category, other);
      link(other, category);
    }
  }
  const result = new Map([...sets].map(([category, set]) => [category, [...set].sort()]));
  symmetric.set(adjacency, result);
  return result;
}

/**
 * The partner categories a purchase makes worth looking at, strongest first: the categories
 * adjacent to a purchased one (attributed to the most-spent purchased category), then the
 * purchased categories that are not adjacent to another purchased one.
 */
export function partnerCategories(
  purchased: readonly string[],
  adjacency: Adjacency | undefined,
): CategoryMatch[] {
  const neighbours = symmetricAdjacency(adjacency ?? CATEGORY_ADJACENCY);
  const matches = new Map<string, CategoryMatch>();
  for (const category of purchased) {
    for (const other of neighbours.get(category) ?? []) {
      if (!matches.has(other))
        matches.set(other, { category: other, strength: 'adjacent', purchased: category });
    }
  }
  for (const category of purchased) {
    if (!matches.has(category)) matches.set(category, { category, strength: 'same', purchased: category });
  }
  return [...matches.values()];
}
