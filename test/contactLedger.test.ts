import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, type Collection } from 'mongodb';
import { startFerretDb, type FerretDb } from '../devstack/ferretdb';
import { freePort } from '../devstack/net';
import { loadPolicy } from '../policy/load';
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
    const reserved = results.filter((r) => r.reserved);
    // email ≤ 1/day, sms ≤ 1/day, all channels ≤ 2/day: exactly one of each can go.
    assert.equal(reserved.length, 2);
    const doc = await currentLedger(ledger, customerId);
    assert.deepEqual(doc?.entries.map((e) => e.channel).sort(), ['email', 'sms']);
    for (const refused of results.filter((r) => !r.reserved)) {
      assert.ok(!refused.reserved && refused.decision.count >= refused.decision.rule.max);
    }
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
    assert.deepEqual(await reserveContactSlot(ledger, request), { reserved: true, duplicate: false });
    assert.deepEqual(await reserveContactSlot(ledger, request), { reserved: true, duplicate: true });
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
    assert.equal((await reserveContactSlot(ledger, request('a'))).reserved, true);
    assert.equal((await reserveContactSlot(ledger, request('b'))).reserved, false);
    await releaseContactSlot(ledger, customerId, 'a');
    assert.equal((await reserveContactSlot(ledger, request('b'))).reserved, true);
  });
});
