import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { murmur3 } from '../engine/ids/hash';
import {
  assignArm,
  holdoutBucket,
  inGlobalControl,
  playbookBucket,
  type HoldoutScheme,
} from '../engine/measurement/holdout';

/** The acceptance population: arm sizes must be within half a percentage point of the configuration. */
const CUSTOMERS = Array.from({ length: 100_000 }, (_, i) => `customer-${i}`);
const TOLERANCE_PP = 0.5;
const PLAYBOOKS = [
  { id: 'cart-abandonment', holdout: 0.1 },
  { id: 'browse-abandonment', holdout: 0.25 },
] as const;

interface Split {
  global: string[];
  /** Customers outside the global control, whom the playbooks' percentages are shares of. */
  eligible: number;
  control: Record<string, string[]>;
}

function split(scheme: HoldoutScheme): Split {
  const global: string[] = [];
  const control: Record<string, string[]> = Object.fromEntries(PLAYBOOKS.map((p) => [p.id, []]));
  for (const id of CUSTOMERS) {
    if (inGlobalControl(id, scheme)) {
      global.push(id);
      continue;
    }
    for (const p of PLAYBOOKS)
      if (assignArm(id, p.id, p.holdout, scheme) === 'control') control[p.id]!.push(id);
  }
  return { global, eligible: CUSTOMERS.length - global.length, control };
}

function assertShare(count: number, of: number, percent: number, what: string): void {
  const share = (count / of) * 100;
  assert.ok(
    Math.abs(share - percent) <= TOLERANCE_PP,
    `${what}: ${share.toFixed(3)}% where ${percent}% ± ${TOLERANCE_PP} pp was configured`,
  );
}

function assertSizes(result: Split, globalPercent: number): void {
  assertShare(result.global.length, CUSTOMERS.length, globalPercent, 'global control');
  for (const p of PLAYBOOKS)
    assertShare(result.control[p.id]!.length, result.eligible, p.holdout * 100, `${p.id} control`);
}

describe('holdout assignment', () => {
  const scheme: HoldoutScheme = { epoch: 1, salt: 'salt-a', globalControlPercent: 5 };

  it('matches the published MurmurHash3 x86_32 reference values', () => {
    // Reference vectors of the original C implementation; a change here would move every bucket.
    assert.equal(murmur3(''), 0);
    assert.equal(murmur3('', 1), 0x514e28b7);
    assert.equal(murmur3('hello'), 0x248bfa47);
    assert.equal(murmur3('The quick brown fox jumps over the lazy dog'), 0x2e4ff723);
    assert.equal(murmur3('Hello, world!', 1234), 0xfaf6cdb3);
  });

  it('keeps the recorded buckets: a change to the keys or the hash is a reshuffle, not a refactor', () => {
    assert.equal(holdoutBucket('c-42', 'salt-a'), 7295);
    assert.equal(playbookBucket('c-42', 'cart-abandonment', 'salt-a'), 7673);
  });

  it('gives a customer the same bucket every time, and a different one under a new salt', () => {
    assert.equal(holdoutBucket('c-42', 'salt-a'), holdoutBucket('c-42', 'salt-a'));
    const moved = Array.from({ length: 100 }, (_, i) => `c-${i}`).filter(
      (id) => holdoutBucket(id, 'salt-a') !== holdoutBucket(id, 'salt-b'),
    );
    assert.ok(moved.length > 95, `only ${moved.length} of 100 customers moved under a new salt`);
  });

  it('over 100,000 customers, sizes the global control and each playbook’s control within 0.5 pp', () => {
    assertSizes(split(scheme), 5);
  });

  it('assigns identically on a second run', () => {
    assert.deepEqual(split({ ...scheme }), split(scheme));
  });

  it('a new salt (a reshuffle) moves customers between arms but keeps the sizes', () => {
    const before = split(scheme);
    const after = split({ epoch: 2, salt: 'salt-b', globalControlPercent: 5 });
    assertSizes(after, 5);
    // Independent draws: about 5% of the old global control is in the new one.
    const stayed = after.global.filter((id) => new Set(before.global).has(id)).length;
    assertShare(stayed, before.global.length, 5, 'global control kept through a reshuffle');
    assert.notDeepEqual(after.control['cart-abandonment'], before.control['cart-abandonment']);
  });

  it('draws each playbook’s control independently, so arms are not the same customers', () => {
    const { control, eligible } = split(scheme);
    const cart = new Set(control['cart-abandonment']);
    const browse = control['browse-abandonment']!;
    const both = browse.filter((id) => cart.has(id)).length;
    // Independent 10% and 25% draws share 2.5% of the customers; nested ones would share 10%.
    assertShare(both, eligible, 2.5, 'control in both playbooks');
  });

  it('a share of 0 takes nobody and 100 takes everybody', () => {
    const some = CUSTOMERS.slice(0, 20_000);
    const none = { ...scheme, globalControlPercent: 0 };
    assert.equal(some.filter((id) => inGlobalControl(id, none)).length, 0);
    assert.equal(
      some.filter((id) => inGlobalControl(id, { ...scheme, globalControlPercent: 100 })).length,
      some.length,
    );
    assert.equal(some.filter((id) => assignArm(id, 'p', 0, scheme) === 'control').length, 0);
    assert.equal(some.filter((id) => assignArm(id, 'p', 1, scheme) === 'control').length, some.length);
  });

  it('handles non-ASCII customer IDs', () => {
    assert.equal(holdoutBucket('kund-Åsa-🛒', 's'), holdoutBucket('kund-Åsa-🛒', 's'));
    assert.notEqual(holdoutBucket('kund-Åsa', 's'), holdoutBucket('kund-Asa', 's'));
  });
});
