import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { startFerretDb, type FerretDb } from '../tools/devstack/ferretdb';
import { freePort } from '../tools/devstack/net';
import type { CartUpdated } from '../schemas/events/schema';
import { loadPolicy } from '../schemas/policy/load';
import {
  collections,
  ensureIndexes,
  type EntryRecord,
  type LedgerDoc,
  type OfferGrantRecord,
} from '../store/collections';
import { currentLedger, reserveContactSlot } from '../store/contactLedger';
import { lastEntry, recordEntry, recordEntryHead } from '../store/entries';
import { ENTRY_RUNS_KEPT, recentRuns, recordEntryRun } from '../store/entryRuns';
import { claimDelivery, findDelivery } from '../store/deliveries';
import { acceptEvent, markRouted } from '../store/events';
import { runMigrations } from '../store/migrations';
import { grantsOf, latestGrantContext, tallyGrant } from '../store/offerGrants';
import { outcomeId, recordOfferEvidence } from '../store/offerEvidence';
import { upsertOffers, type OfferRecord } from '../store/offers';
import { uniqueId } from './support/events';
import { tempDir } from './support/servers';

/*
 * The hot path reads and writes single records by `_id` (heads for the latest entry and ledger
 * version, events and deliveries keyed by their business IDs), on the real MongoDB-wire server.
 * Records written before that, keyed by generated ObjectIds or without heads, still work.
 */
describe('point access by _id, and records from before it', () => {
  const dir = tempDir('journeys-point-access');
  let ferret: FerretDb | undefined;
  let mongo: MongoClient;
  let db: Db;
  const { caps } = loadPolicy();
  const calendar = { timeZone: 'UTC', weekStartsOn: 'mon' as const };
  const now = Date.parse('2026-11-23T12:00:00Z');

  before(async () => {
    const uri =
      process.env.MONGODB_URI ||
      (ferret = await startFerretDb({ dataDir: dir.path, port: await freePort() })).uri;
    mongo = await MongoClient.connect(uri);
    db = mongo.db(`test_point_${Date.now()}`);
    await ensureIndexes(db);
  });
  after(async () => {
    await mongo?.close();
    await ferret?.stop();
    dir.remove();
  });

  const entry = (customerId: string, entryEventId: string, enteredAt: string): EntryRecord => ({
    journeyId: `journey:cart:${customerId}`,
    playbookId: 'cart',
    playbookVersion: 1,
    playbookLabel: 'v1@abc',
    customerId,
    entryEventId,
    arm: 'treatment',
    enteredAt: new Date(enteredAt),
  });

  it('the latest entry is read from its head, and old entries get heads from the migration, once', async () => {
    const { entries, entryHeads } = collections(db);
    const fresh = uniqueId('c');
    await recordEntry(entries, entry(fresh, 'e1', '2026-11-01T00:00:00Z'));
    await recordEntryHead(entryHeads, entry(fresh, 'e1', '2026-11-01T00:00:00Z'));
    await recordEntry(entries, entry(fresh, 'e2', '2026-11-05T00:00:00Z'));
    await recordEntryHead(entryHeads, entry(fresh, 'e2', '2026-11-05T00:00:00Z'));
    assert.equal((await lastEntry(entryHeads, 'cart', fresh, undefined))?.entryEventId, 'e2');
    assert.equal(await lastEntry(entryHeads, 'cart', fresh, 'sku-1'), null, 'another key value has no entry');

    // Entries recorded before heads existed, out of order.
    const old = uniqueId('c');
    await recordEntry(entries, entry(old, 'o2', '2026-10-09T00:00:00Z'));
    await recordEntry(entries, entry(old, 'o1', '2026-10-01T00:00:00Z'));
    assert.equal(await lastEntry(entryHeads, 'cart', old, undefined), null);
    await runMigrations(db);
    const head = await lastEntry(entryHeads, 'cart', old, undefined);
    assert.equal(head?.entryEventId, 'o2');
    assert.equal(head?.enteredAt.toISOString(), '2026-10-09T00:00:00.000Z');
    assert.equal(
      (await lastEntry(entryHeads, 'cart', fresh, undefined))?.entryEventId,
      'e2',
      'not moved back',
    );
    const marker = await db.collection('migrations').findOne({ _id: 'entry-heads' } as never);
    assert.ok(marker, 'the migration is recorded');
    // Recorded: a second start does not run it again (an entry added without a head stays without).
    const later = uniqueId('c');
    await recordEntry(entries, entry(later, 'l1', '2026-10-02T00:00:00Z'));
    await runMigrations(db);
    assert.equal(await lastEntry(entryHeads, 'cart', later, undefined), null);
  });

  it('a customer’s runs of a playbook are read from one list, kept short, and old entries are listed by the migration', async () => {
    const { entries, entryRuns } = collections(db);
    const keyed = (customerId: string, key: string, at: string): EntryRecord => ({
      ...entry(customerId, `e-${key}`, at),
      journeyId: `journey:care:${customerId}:${key}`,
      playbookId: 'care',
      keyValue: key,
    });
    const fresh = uniqueId('c');
    await recordEntryRun(entryRuns, keyed(fresh, 'o-1', '2026-11-01T00:00:00Z'));
    await recordEntryRun(entryRuns, keyed(fresh, 'o-2', '2026-11-05T00:00:00Z'));
    await recordEntryRun(entryRuns, keyed(fresh, 'o-2', '2026-11-05T00:00:00Z')); // a retried entry
    assert.deepEqual(await recentRuns(entryRuns, 'care', fresh, new Date('2026-10-01T00:00:00Z')), [
      `journey:care:${fresh}:o-1`,
      `journey:care:${fresh}:o-2`,
    ]);
    assert.deepEqual(await recentRuns(entryRuns, 'care', fresh, new Date('2026-11-03T00:00:00Z')), [
      `journey:care:${fresh}:o-2`,
    ]);
    assert.deepEqual(await recentRuns(entryRuns, 'cart', fresh, new Date(0)), [], 'another playbook');

    // At most ENTRY_RUNS_KEPT are kept, the newest.
    const busy = uniqueId('c');
    for (let i = 0; i < ENTRY_RUNS_KEPT + 2; i++)
      await recordEntryRun(
        entryRuns,
        keyed(busy, `o-${i}`, new Date(Date.UTC(2026, 9, 1) + i * 1000).toISOString()),
      );
    const kept = await recentRuns(entryRuns, 'care', busy, new Date(0));
    assert.equal(kept.length, ENTRY_RUNS_KEPT);
    assert.equal(kept[0], `journey:care:${busy}:o-2`);

    // Entries recorded before the lists existed are listed once the migration has run.
    const old = uniqueId('c');
    await recordEntry(entries, keyed(old, 'o-9', '2026-10-09T00:00:00Z'));
    await recordEntry(entries, keyed(old, 'o-8', '2026-10-01T00:00:00Z'));
    await db.collection('migrations').deleteOne({ _id: 'entry-runs' } as never);
    await runMigrations(db);
    assert.deepEqual(await recentRuns(entryRuns, 'care', old, new Date(0)), [
      `journey:care:${old}:o-8`,
      `journey:care:${old}:o-9`,
    ]);
    // Lists written meanwhile keep what they had.
    assert.equal((await recentRuns(entryRuns, 'care', fresh, new Date(0))).length, 2);
  });

  it('the current ledger is found past a head left behind, and without one for ledgers from before heads', async () => {
    const { ledger } = collections(db);
    const customerId = uniqueId('c');
    const reserve = (key: string, at: number) =>
      reserveContactSlot(ledger, {
        customerId,
        key,
        candidate: { channel: 'sms', playbookId: 'p', transactional: false },
        rules: caps,
        calendar,
        now: at,
      });
    assert.equal((await reserve('k1', now)).status, 'reserved');
    assert.equal((await reserve('k2', now + 86_400_000)).status, 'reserved');
    // A writer that died between its commit and moving the head: the head says version 1.
    const heads = db.collection<{ _id: string; version: number }>('contact_ledger');
    await heads.updateOne({ _id: `${customerId}#head` }, { $set: { version: 1 } });
    const current = await currentLedger(ledger, customerId);
    assert.equal(current?.version, 2);
    assert.deepEqual(current?.entries.map((e) => e.key).sort(), ['k1', 'k2']);
    // The sms cap is 1 a day: the same day as k2 is refused, whatever the head said.
    assert.equal((await reserve('k3', now + 86_400_000 + 60_000)).status, 'refused');

    // A ledger written before heads: two versions and no head, until the migration.
    const legacy = uniqueId('c');
    const snapshot = (version: number, keys: string[]): LedgerDoc => ({
      _id: `${legacy}#${String(version).padStart(12, '0')}`,
      customerId: legacy,
      version,
      entries: keys.map((key) => ({ key, channel: 'email', playbookId: 'p', transactional: false, at: now })),
      updatedAt: new Date(now),
    });
    await ledger.insertMany([snapshot(4, ['a']), snapshot(5, ['a', 'b'])]);
    await db.collection('migrations').deleteOne({ _id: 'contact-ledger-heads' } as never);
    await runMigrations(db);
    assert.deepEqual(
      (await currentLedger(ledger, legacy))?.entries.map((e) => e.key),
      ['a', 'b'],
    );
  });

  it('a customer’s grants are counted from their tally, once per decision, and old grants are tallied by the migration', async () => {
    const { offerGrants, offerGrantTallies } = collections(db);
    const customerId = uniqueId('c');
    const tallied = (_id: string, offerId: string) => ({
      _id,
      customerId,
      offerId,
      contextKey: 'none',
      decidedAt: new Date(now),
    });
    await tallyGrant(offerGrantTallies, tallied('run-1:offer', 'own-1'));
    await tallyGrant(offerGrantTallies, tallied('run-1:offer', 'own-1')); // a retry
    await tallyGrant(offerGrantTallies, tallied('run-2:offer', 'own-1'));
    await tallyGrant(offerGrantTallies, tallied('run-3:offer', 'partner-9'));
    assert.deepEqual(await grantsOf(offerGrantTallies, customerId), { 'own-1': 2, 'partner-9': 1 });
    assert.deepEqual(await grantsOf(offerGrantTallies, uniqueId('c')), {});

    // Grants stored before tallies existed.
    const old = uniqueId('c');
    const grant = (id: string, offerId: string) => ({
      _id: id,
      customerId: old,
      playbookId: 'p',
      journeyId: `journey:p:${old}`,
      arm: 'treatment' as const,
      offerId,
      kind: 'discount',
      contextKey: 'none',
      decision: {} as never,
      decidedAt: new Date(now),
    });
    await offerGrants.insertMany([grant(`${old}:a`, 'own-2'), grant(`${old}:b`, 'own-2')]);
    await db.collection('migrations').deleteOne({ _id: 'offer-grant-tallies' } as never);
    await runMigrations(db);
    assert.deepEqual(await grantsOf(offerGrantTallies, old), { 'own-2': 2 });
  });

  it('an engagement is learned under the context of the customer’s latest grant of its offer, read from the tally; old tallies get contexts from the migration', async () => {
    const { offerGrants, offerGrantTallies, offerOutcomes } = collections(db);
    const customerId = uniqueId('c');
    const offerId = uniqueId('own');
    const grant = (key: string, contextKey: string, day: number): OfferGrantRecord => ({
      _id: key,
      customerId,
      playbookId: 'p',
      journeyId: `journey:p:${customerId}`,
      arm: 'treatment',
      offerId,
      kind: 'discount',
      contextKey,
      decision: {} as never,
      decidedAt: new Date(now + day * 86_400_000),
    });
    const later = grant(`${customerId}:b`, 'ctx-later', 2);
    const earlier = grant(`${customerId}:a`, 'ctx-earlier', 1);
    await offerGrants.insertMany([later, earlier]);
    // Tallied before entries carried contexts, the later grant first.
    await offerGrantTallies.insertOne({
      _id: customerId,
      grants: [later, earlier].map((g) => ({ offerId, decisionKey: g._id })),
    });
    await db.collection('migrations').deleteOne({ _id: 'offer-grant-tally-contexts' } as never);
    await runMigrations(db);
    const tally = await offerGrantTallies.findOne({ _id: customerId });
    assert.deepEqual(
      tally?.grants.map((e) => e.contextKey),
      ['ctx-later', 'ctx-earlier'],
    );
    await tallyGrant(offerGrantTallies, later); // a retried decision adds nothing
    assert.deepEqual(await grantsOf(offerGrantTallies, customerId), { [offerId]: 2 });
    assert.deepEqual(await latestGrantContext(collections(db), customerId, offerId), {
      contextKey: 'ctx-later',
      decidedAt: later.decidedAt,
    });
    const messageId = uniqueId('msg');
    await recordOfferEvidence(collections(db), {
      type: 'message.engaged',
      eventId: uniqueId('evt'),
      customerId,
      occurredAt: new Date(now).toISOString(),
      data: { messageId, kind: 'clicked', offerId },
    });
    const outcome = await offerOutcomes.findOne({ _id: outcomeId('engaged', messageId, offerId) });
    assert.equal(outcome?.contextKey, 'ctx-later');
    assert.equal(await latestGrantContext(collections(db), customerId, uniqueId('other')), null);
  });

  it('offers imported before they were keyed by offerId are moved to it by the migration', async () => {
    const { offers } = collections(db);
    const offerId = uniqueId('partner');
    const offer = {
      offerId,
      title: 'Partner',
      active: true,
      kind: 'partner',
      partner: 'p',
      payoutModel: 'cpc',
      payout: 0.5,
    } as unknown as OfferRecord;
    await db.collection('offers').insertOne({ ...offer, _id: new ObjectId() });
    await db.collection('migrations').deleteOne({ _id: 'rekey-offers' } as never);
    await runMigrations(db);
    assert.equal((await offers.findOne({ _id: offerId }))?.offerId, offerId);
    assert.equal(await offers.countDocuments({ offerId }), 1);
    const fresh = { ...offer, offerId: uniqueId('partner') };
    await upsertOffers(offers, [fresh]);
    assert.equal(
      (await offers.findOne({ _id: fresh.offerId }))?.offerId,
      fresh.offerId,
      'imported under its offerId',
    );
  });

  it('an event is stored under its eventId, and one stored before that is moved to it by the migration, then found and marked routed', async () => {
    const { events } = collections(db);
    const event: CartUpdated = {
      type: 'cart.updated',
      eventId: uniqueId('evt'),
      customerId: uniqueId('c'),
      occurredAt: '2026-11-20T10:00:00Z',
      data: { cartId: 'cart-1', currency: 'EUR', items: [] },
    };
    assert.deepEqual(await acceptEvent(events, event, new Date()), { kind: 'new' });
    assert.equal((await events.findOne({ _id: event.eventId }))?.eventId, event.eventId);
    await markRouted(events, event.eventId, ['journey:x']);
    assert.deepEqual(await acceptEvent(events, event, new Date()), {
      kind: 'duplicate',
      routedTo: ['journey:x'],
    });

    const legacy = { ...event, eventId: uniqueId('evt') };
    await events.insertOne({
      _id: new ObjectId(),
      eventId: legacy.eventId,
      type: legacy.type,
      customerId: legacy.customerId,
      occurredAt: new Date(legacy.occurredAt),
      receivedAt: new Date(),
      status: 'received',
      payload: legacy,
    });
    await db.collection('migrations').deleteOne({ _id: 'rekey-deliveries-events' } as never);
    await runMigrations(db);
    assert.equal((await events.findOne({ _id: legacy.eventId }))?.status, 'received', 'moved to its eventId');
    assert.equal(await events.countDocuments({ eventId: legacy.eventId }), 1, 'once');
    assert.deepEqual(await acceptEvent(events, legacy, new Date()), { kind: 'unrouted' });
    await markRouted(events, legacy.eventId, ['journey:y']);
    assert.deepEqual(await acceptEvent(events, legacy, new Date()), {
      kind: 'duplicate',
      routedTo: ['journey:y'],
    });
  });

  it('a delivery stored under a generated _id before keys is moved to its key by the migration, and a send finds it settled', async () => {
    const { deliveries, deliveryAttempts } = collections(db);
    const idempotencyKey = uniqueId('key');
    const identity = {
      idempotencyKey,
      customerId: uniqueId('c'),
      playbookId: 'p',
      playbookVersion: 1,
      journeyId: 'journey:p:c',
      entryEventId: 'e1',
      step: 'email',
      arm: 'treatment' as const,
    };
    await deliveries.insertOne({
      _id: new ObjectId(),
      ...identity,
      status: 'sent',
      attempts: 1,
      providerMessageId: 'msg-1',
      createdAt: new Date(now),
      updatedAt: new Date(now),
    });
    // A run that died between parking a record and moving it: the next run finishes the move.
    const parkedKey = uniqueId('key');
    const parkedId = new ObjectId();
    const parkedRecord = { ...identity, idempotencyKey: parkedKey, status: 'sent' as const, attempts: 1 };
    await deliveries.insertOne({
      _id: parkedId,
      ...parkedRecord,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    });
    await db.collection('rekey_parking').insertOne({
      _id: `deliveries|${parkedKey}`,
      collection: 'deliveries',
      legacyId: parkedId,
      record: { ...parkedRecord, _id: parkedKey, createdAt: new Date(now), updatedAt: new Date(now) },
    } as never);
    await db.collection('migrations').deleteOne({ _id: 'rekey-deliveries-events' } as never);
    await runMigrations(db);
    assert.equal((await findDelivery(deliveries, idempotencyKey))?.providerMessageId, 'msg-1');
    assert.equal(await deliveries.countDocuments({ idempotencyKey }), 1);
    assert.equal((await findDelivery(deliveries, parkedKey))?.status, 'sent');
    assert.equal(await deliveries.countDocuments({ idempotencyKey: parkedKey }), 1);
    assert.equal(await db.collection('rekey_parking').countDocuments({}), 0);
    const claim = await claimDelivery({ deliveries, attempts: deliveryAttempts }, identity, new Date(now));
    assert.equal(claim.kind, 'settled', 'the send is not made again');
  });
});
