import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeQuery, shapeOf, type DeclaredIndex } from './support/indexCoverage';

/* The rule of the store's index test (test/storeIndexes.test.ts), on hand-made queries. */
describe('which store queries an index serves', () => {
  const indexes: DeclaredIndex[] = [
    { collection: 'entries', name: 'customer_latest', keys: ['playbookId', 'customerId', 'enteredAt'] },
    { collection: 'profiles', name: 'tags', keys: ['tags', '_id'] },
  ];
  const judge = (collection: string, filter: object, sort?: object) =>
    judgeQuery({ collection, command: 'find', filter, ...(sort && { sort }) }, indexes);

  it('rejects a query on an undeclared field, naming what would serve it', () => {
    const verdict = judge('entries', { arm: 'control' });
    assert.equal(verdict.ok, false);
    assert.match(
      verdict.why,
      /no declared index serves equality on \[arm\].*customer_latest \[playbookId, customerId, enteredAt\]/,
    );
    assert.equal(judge('deliveries', { customerId: 'c-1' }).ok, false, 'a collection with no index');
  });

  it('rejects a filter whose fields are not the leading keys, or a sort out of order', () => {
    assert.equal(judge('entries', { customerId: 'c-1' }).ok, false, 'not a prefix');
    assert.equal(
      judge('entries', { playbookId: 'p' }, { enteredAt: -1 }).ok,
      false,
      'a key skipped before the sort',
    );
    assert.equal(judge('entries', { playbookId: 'p', customerId: 'c' }, { arm: 1 }).ok, false);
  });

  it('rejects a scan: no filter, only operators an index cannot bound, or _id other than by equality', () => {
    assert.equal(judge('events', {}).ok, false);
    assert.equal(judge('entries', { playbookId: { $ne: 'p' } }).ok, false);
    assert.equal(judge('events', { _id: { $in: ['a', 'b'] } }).ok, false);
    const guarded = judge('events', { _id: 'a', status: 'routed' });
    assert.equal(guarded.ok, false);
    assert.match(guarded.why, /_id by equality with other conditions/);
    assert.equal(judge('entries', { customerId: { $gte: 'c' } }).ok, false, 'a range on a later key only');
    assert.equal(judge('events', { $or: [{ _id: 'a' }, { eventId: 'a' }] }).ok, false);
  });

  it('accepts _id by equality, small collections, and prefixes of declared keys with sort and range', () => {
    assert.equal(judge('events', { _id: 'e-1' }).ok, true);
    assert.equal(judge('events', { _id: { $eq: 'e-1' } }).ok, true);
    assert.equal(judge('playbook_versions', {}).ok, true);
    assert.equal(judge('entries', { playbookId: 'p', customerId: 'c' }, { enteredAt: -1 }).ok, true);
    assert.equal(judge('entries', { customerId: 'c', playbookId: { $in: ['p', 'q'] } }).ok, true);
    assert.equal(
      judge('entries', { playbookId: 'p', customerId: 'c', enteredAt: { $gte: new Date() } }).ok,
      true,
    );
    assert.equal(judge('profiles', { tags: 'vip', _id: { $gt: 'c-9' } }, { _id: 1 }).ok, true);
    assert.equal(judge('entries', { playbookId: { $gte: 'p' } }).ok, true, 'a range on the first key');
    assert.equal(
      judge('entries', { playbookId: 'p', arm: { $gte: 'a' } }).ok,
      true,
      'a range checked on what the index found',
    );
    assert.equal(
      judge('entries', { $and: [{ playbookId: 'p' }, { customerId: 'c', arm: { $exists: true } }] }).ok,
      true,
    );
  });

  it('reports a filter by its shape', () => {
    assert.deepEqual(shapeOf({ customerId: 'c-1', at: { $gte: new Date() }, tags: ['a'], n: 3 }), {
      customerId: '<string>',
      at: { $gte: '<date>' },
      tags: ['<string>'],
      n: '<number>',
    });
  });
});
