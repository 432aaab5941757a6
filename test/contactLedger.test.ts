import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, type Collection } from 'mongodb';
import { startFerretDb, type FerretDb } from '../tools/devstack/ferretdb';
import { freePort } from '../tools/devstack/net';
import { loadPolicy } from '../schemas/policy/load';
import {
  contactLedger,
  currentLedger,
  releaseContactSlot,
  reserveContactSlot,
  type LedgerDoc,
} from '../store/contactLedger';
import { uniqueId } from './support/events';
import { tempDir } from './support/servers';

/* The atomic cap reserve on the real MongoDB-wire server (FerretDB, or MONGODB_URI). */
describe('contact slot reservations', () => {
  const dir = tempDir('journeys-ledger');
  let ferret: FerretDb | undefined;
  let mongo: MongoClient;
  let ledger: Collection<LedgerDoc>;
  const { caps } = loadPolicy();
  const calendar = { timeZone: 'Europe/Stockholm', weekStartsOn: 'mon' as const };
  const now = Date.parse('2026-11-23T12:00:00Z');

  before(async () => {
    const uri =
      process.env.MONGODB_URI ||
      (ferret = await startFerretDb({ dataDir: dir.path, port: await freePort() })).uri;
    mongo = await MongoClient.connect(uri);
    ledger = contactLedger(mongo.db(`test_ledger_${Date.now()}`));
  });
  after(async () => {
    await mongo?.close();
    await ferret?.stop();
    dir.remove();
  });

  it('50 concurrent sends for one customer across channels never exceed the caps', async () => {
    const customerId = uniqueId('busy');
    const attempts = Array.from({ length: 50 }, (_, i) =>
      reserveContactSlot(ledger, {
        customerId,
        key: `send-${i}`,
        candidate: {
          channel: i % 2 === 0 ? 'email' : 'sms',
          playbookId: `playbook-${i % 5}`,
          transactional: false,
        },
        rules: caps,
        calendar,
        now,
      }),
    );
    const results = await Promise.all(attempts);
    const reserved = results.filter((r) => r.status === 'reserved');
    // email ≤ 1/day, sms ≤ 1/day, all channels ≤ 2/day: exactly one of each can go.
    assert.equal(reserved.length, 2);
    const doc = await currentLedger(ledger, customerId);
    assert.deepEqual(doc?.entries.map((e) => e.channel).sort(), ['email', 'sms']);
    for (const refused of results) {
      if (refused.status === 'refused') assert.ok(refused.refusal.count >= refused.refusal.rule.max);
    }
  });

  it('50 concurrent sends in one arbitration window: the caps hold and the best of each channel wins', async () => {
    const customerId = uniqueId('window');
    const request = (i: number, at: number) => ({
      customerId,
      key: `send-${i}`,
      candidate: {
        channel: i % 2 === 0 ? ('email' as const) : ('sms' as const),
        playbookId: `playbook-${i}`,
        transactional: false,
      },
      rules: caps,
      calendar,
      now: at,
      windowMs: 300_000,
      priority: i, // the last of each channel ranks highest
      expectedValue: 0,
    });
    const asked = await Promise.all(
      Array.from({ length: 50 }, (_, i) => reserveContactSlot(ledger, request(i, now))),
    );
    const closes = new Set(asked.map((a) => (a.status === 'pending' ? a.decideAt : -1)));
    assert.deepEqual([...closes], [now + 300_000], 'all 50 wait for one window');

    const decided = await Promise.all(
      Array.from({ length: 50 }, (_, i) => reserveContactSlot(ledger, request(i, now + 300_000))),
    );
    const winners = decided.flatMap((d, i) => (d.status === 'reserved' ? [`playbook-${i}`] : []));
    assert.deepEqual(winners.sort(), ['playbook-48', 'playbook-49']);
    for (const d of decided) {
      if (d.status === 'refused') assert.ok(d.winner === 'playbook-48' || d.winner === 'playbook-49');
      else assert.equal(d.status, 'reserved');
    }
    const doc = await currentLedger(ledger, customerId);
    assert.deepEqual(doc?.entries.map((e) => e.playbookId).sort(), ['playbook-48', 'playbook-49']);
  });

  it('a retried send finds its reservation instead of taking a second slot', async () => {
    const customerId = uniqueId('retry');
    const request = {
      customerId,
      key: 'k1',
      candidate: { channel: 'email' as const, playbookId: 'p', transactional: false },
      rules: caps,
      calendar,
      now,
    };
    assert.deepEqual(await reserveContactSlot(ledger, request), { status: 'reserved', duplicate: false });
    assert.deepEqual(await reserveContactSlot(ledger, request), { status: 'reserved', duplicate: true });
    assert.equal((await currentLedger(ledger, customerId))?.entries.length, 1);
  });

  it('a released slot (the send failed for good) can be taken again', async () => {
    const customerId = uniqueId('release');
    const request = (key: string) => ({
      customerId,
      key,
      candidate: { channel: 'email' as const, playbookId: 'p', transactional: false },
      rules: caps,
      calendar,
      now,
    });
    assert.equal((await reserveContactSlot(ledger, request('a'))).status, 'reserved');
    assert.equal((await reserveContactSlot(ledger, request('b'))).status, 'refused');
    await releaseContactSlot(ledger, customerId, 'a');
    assert.equal((await reserveContactSlot(ledger, request('b'))).status, 'reserved');
  });

  it('old versions are pruned by the injected wall clock, one `_id` at a time, and versions still young wait for a later prune', async () => {
    const customerId = uniqueId('prune');
    let wall = Date.parse('2031-06-01T00:00:00Z'); // far from the real clock: only the injected one counts
    const clock = () => wall;
    const request = (key: string) => ({
      customerId,
      key,
      candidate: { channel: 'email' as const, playbookId: 'p', transactional: false },
      rules: caps,
      calendar,
      now,
    });
    let commits = 0;
    /** Two versions: a reserve and its release. */
    const twoVersions = async () => {
      commits += 2;
      assert.equal((await reserveContactSlot(ledger, request(`k${commits}`), clock)).status, 'reserved');
      await releaseContactSlot(ledger, customerId, `k${commits}`, clock);
    };
    const versions = async () =>
      (await ledger.find({ customerId }).toArray()).map((doc) => doc.version).sort((a, b) => a - b);
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

    for (let i = 0; i < 4; i++) await twoVersions(); // versions 1–8, written at `wall`
    assert.deepEqual(
      await versions(),
      range(1, 8),
      'at version 8 all are younger than a minute: none pruned',
    );
    wall += 61_000;
    for (let i = 0; i < 4; i++) await twoVersions(); // versions 9–16, a minute later
    assert.deepEqual(await versions(), range(9, 16), 'the minute-old ones pruned; 9–13 too young yet');
    wall += 61_000;
    for (let i = 0; i < 3; i++) await twoVersions(); // versions 17–22
    assert.equal((await reserveContactSlot(ledger, request('last'), clock)).status, 'reserved'); // 23
    wall += 61_000;
    await releaseContactSlot(ledger, customerId, 'last', clock); // 24, a minute after 9–23
    assert.deepEqual(await versions(), range(22, 24), 'all but the three kept');
    assert.equal((await currentLedger(ledger, customerId))?.version, 24);
  });
});
