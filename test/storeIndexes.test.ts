import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadPlaybooks } from '../schemas/playbook/load';
import { loadPolicy } from '../schemas/policy/load';
import { customerHistory } from '../store/customerHistory';
import { liftData } from '../store/liftData';
import { playbookCollections } from '../store/playbookVersions';
import { generateDemoStore } from '../tools/demo/generate';
import { CommandLog, type StoreQuery } from './support/commandLog';
import { judgeQuery, shapeOf } from './support/indexCoverage';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * The store's index set against the queries it serves: a realistic mix (the demo generator's
 * customers and catalog over a week, all fifteen shipped playbooks routing) published through
 * JourneyClient on FerretDB and Temporal's time-skipping server, the runs it starts taken three days
 * on (their waits, sends and goals), then `explain` and `report lift`'s reads. Every filter any of
 * them sent, from the client or the worker, must be `_id` alone by equality, on a small collection,
 * or served by an index ensureIndexes declares (test/support/indexCoverage.ts). A failure lists each
 * offending filter by collection, command and shape.
 */
describe('every store query is a point access or has its index', () => {
  const log = new CommandLog((name) => name.startsWith('test_store-indexes_'));
  let harness: TimeSkippingHarness;

  before(async () => {
    harness = await startTimeSkippingHarness('store-indexes', log.listener);
  });
  after(() => harness?.close());

  it('publishing, running, explain and lift send no query an index does not serve', async () => {
    const day = 86_400_000;
    const now = Date.now();
    const { events } = generateDemoStore({ customers: 12, days: 7, seed: 16, start: now - 7 * day });
    const playbooks = loadPlaybooks(resolve(__dirname, '../playbooks'));
    const client = harness.clientWith(playbooks, loadPolicy());
    for (let from = 0; from < events.length; from += 100) {
      const outcomes = await client.publishEvents(events.slice(from, from + 100));
      assert.ok(
        outcomes.every((o) => o.status !== 'rejected'),
        JSON.stringify(outcomes.find((o) => o.status === 'rejected')),
      );
    }
    await harness.env.sleep('3 days');

    const stores = harness.servers.collections;
    const customers = [...new Set(events.flatMap((e) => ('customerId' in e ? [e.customerId] : [])))];
    const ids = playbooks.map((p) => p.id);
    for (const customerId of customers.slice(0, 3)) await customerHistory(stores, ids, customerId, 50);
    const lift = { ...stores, playbooks: playbookCollections(harness.servers.db) };
    await liftData(lift, {});
    await liftData(lift, { playbookId: 'cart-abandonment', from: new Date(0) });

    const declared = log.indexes;
    assert.ok(declared.length > 0, 'ensureIndexes declared indexes');
    assert.ok(log.queries.length > 100, `the mix sent queries (${log.queries.length})`);
    const offenders = new Map<string, { query: StoreQuery; why: string; count: number }>();
    for (const query of log.queries) {
      const verdict = judgeQuery(query, declared);
      if (verdict.ok) continue;
      const key = describeQuery(query);
      const seen = offenders.get(key);
      if (seen) seen.count += 1;
      else offenders.set(key, { query, why: verdict.why, count: 1 });
    }
    const report = [...offenders.entries()].map(([key, { why, count }]) => `${key} (${count}×): ${why}`);
    assert.deepEqual(report, [], `queries no declared index serves:\n${report.join('\n')}`);
  });
});

function describeQuery({ collection, command, filter, sort }: StoreQuery): string {
  const shown = JSON.stringify(shapeOf(filter));
  return `${collection} ${command} ${shown}${sort ? ` sort ${JSON.stringify(sort)}` : ''}`;
}
