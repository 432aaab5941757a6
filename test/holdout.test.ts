import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { murmur3 } from '../engine/hash';
import { assignArm, holdoutBucket } from '../engine/holdout';

describe('holdout assignment', () => {
  it('matches the published MurmurHash3 x86_32 reference values', () => {
    // Reference vectors of the original C implementation; a change here would move every bucket.
    assert.equal(murmur3(''), 0);
    assert.equal(murmur3('', 1), 0x514e28b7);
    assert.equal(murmur3('hello'), 0x248bfa47);
    assert.equal(murmur3('The quick brown fox jumps over the lazy dog'), 0x2e4ff723);
    assert.equal(murmur3('Hello, world!', 1234), 0xfaf6cdb3);
  });

  it('gives a customer the same bucket every time, and a different one under a new salt', () => {
    assert.equal(holdoutBucket('c-42', 'salt-a'), holdoutBucket('c-42', 'salt-a'));
    const moved = Array.from({ length: 100 }, (_, i) => `c-${i}`).filter(
      (id) => holdoutBucket(id, 'salt-a') !== holdoutBucket(id, 'salt-b'),
    );
    assert.ok(moved.length > 95, `only ${moved.length} of 100 customers moved under a new salt`);
  });

  it('puts close to the configured share of customers in control', () => {
    const customers = Array.from({ length: 20_000 }, (_, i) => `customer-${i}`);
    for (const percent of [5, 10, 50]) {
      const control = customers.filter((id) => assignArm(id, 'salt', percent) === 'control').length;
      const share = (control / customers.length) * 100;
      assert.ok(Math.abs(share - percent) < 1, `${percent}% holdout gave ${share.toFixed(2)}%`);
    }
    assert.equal(customers.filter((id) => assignArm(id, 'salt', 0) === 'control').length, 0);
    assert.equal(customers.filter((id) => assignArm(id, 'salt', 100) === 'control').length, customers.length);
  });

  it('handles non-ASCII customer IDs', () => {
    assert.equal(holdoutBucket('kund-Åsa-🛒', 's'), holdoutBucket('kund-Åsa-🛒', 's'));
    assert.notEqual(holdoutBucket('kund-Åsa', 's'), holdoutBucket('kund-Asa', 's'));
  });
});
