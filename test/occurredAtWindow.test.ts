import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { MongoClient } from 'mongodb';
import { after, before, describe, it } from 'node:test';
import { runEventsCommand } from '../cli/eventsCommand';
import { fixedHoldout } from '../router/holdoutSource';
import { JourneyClient } from '../router/journeyClient';
import { DEFAULT_OCCURRED_AT_WINDOW, occurredAtIssue } from '../schemas/events/occurredAtWindow';
import type { JourneyEventInput } from '../schemas/events/schema';
import { IngestServer } from '../router/http/httpServer';
import { collections } from '../store/collections';
import { runMigrations } from '../store/migrations';
import { findProfile, upsertProfile } from '../store/profiles';
import { uniqueId } from './support/events';
import { startTimeSkippingHarness, TEST_HOLDOUT, type TimeSkippingHarness } from './support/timeSkipping';

const TOKEN = 'occurred-at-token-0123456789';
const MINUTE = 60_000;

/*
 * An event's occurredAt must lie in a window around its arrival, and no accepted event may freeze a
 * profile: on FerretDB and a real Temporal server, through the HTTP endpoint, the typed client and
 * `journeys events publish`. The client's clock is the test's, so the outcome does not depend on the date.
 */
describe('occurredAt window', () => {
  let harness: TimeSkippingHarness;
  let client: JourneyClient;
  let server: IngestServer;
  let nowMs = Date.parse('2026-11-21T08:00:00.000Z');

  before(async () => {
    harness = await startTimeSkippingHarness('occurred-at');
    client = new JourneyClient({
      temporal: harness.env.client,
      collections: harness.servers.collections,
      taskQueue: harness.taskQueue,
      playbooks: [],
      holdout: fixedHoldout(TEST_HOLDOUT),
      now: () => new Date(nowMs),
    });
    server = await IngestServer.start({ publisher: client, tokens: [TOKEN], log: () => {} });
  });
  after(async () => {
    await server?.stop();
    await harness?.close();
  });

  const upserted = (customerId: string, occurredAt: string, email: string): JourneyEventInput => ({
    type: 'customer.upserted',
    eventId: uniqueId('upsert'),
    customerId,
    occurredAt,
    data: { email },
  });
  const post = async (event: JourneyEventInput) => {
    const response = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(event),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const emailOf = async (customerId: string) =>
    (await findProfile(harness.servers.collections.profiles, customerId)).email;

  it('rejects an upsert dated 9999-12-31 over HTTP, and a later valid update still changes the profile', async () => {
    const id = uniqueId('far-future');
    const now = new Date(nowMs).toISOString();
    assert.equal((await post(upserted(id, now, 'first@example.test'))).status, 202);

    const far = await post(upserted(id, '9999-12-31T00:00:00Z', 'frozen@example.test'));
    assert.equal(far.status, 400, JSON.stringify(far.body));
    assert.match(
      String(far.body.message),
      /occurredAt: 9999-12-31T00:00:00Z is more than 5 minutes after the event was received \(2026-11-21T08:00:00.000Z\)/,
    );
    const [result] = far.body.results as { status: string; issues: { path: string }[] }[];
    assert.equal(result?.status, 'rejected');
    assert.equal(result?.issues[0]?.path, 'occurredAt');
    assert.equal(await emailOf(id), 'first@example.test', 'the rejected event changed nothing');

    nowMs += MINUTE;
    const later = await post(upserted(id, new Date(nowMs).toISOString(), 'later@example.test'));
    assert.equal(later.status, 202, JSON.stringify(later.body));
    assert.equal(await emailOf(id), 'later@example.test');
  });

  it('rejects an event dated more than 10 years back, through the typed client', async () => {
    await assert.rejects(
      client.publishEvent(upserted(uniqueId('far-past'), '1970-01-01T00:00:00Z', 'old@example.test')),
      (error: Error) => {
        assert.equal(error.name, 'InvalidEventError');
        assert.match(error.message, /occurredAt: 1970-01-01T00:00:00Z is more than 10 years before/);
        return true;
      },
    );
    // A backfill of last year's history is inside the window.
    const lastYear = new Date(nowMs - 365 * 24 * 60 * MINUTE).toISOString();
    const backfill = await client.publishEvent(upserted(uniqueId('backfill'), lastYear, 'b@example.test'));
    assert.equal(backfill.status, 'accepted');
  });

  it('an event accepted at the window edge (a clock 4 minutes fast) does not hide the updates after it', async () => {
    const id = uniqueId('skewed');
    await client.publishEvent(upserted(id, new Date(nowMs + 4 * MINUTE).toISOString(), 'fast@example.test'));
    assert.equal(await emailOf(id), 'fast@example.test');
    nowMs += MINUTE;
    // Sent a minute later by a service with a correct clock: it is the newer state.
    await client.publishEvent(upserted(id, new Date(nowMs).toISOString(), 'next@example.test'));
    assert.equal(await emailOf(id), 'next@example.test');
  });

  it('`journeys events publish` names the line of an event outside the window and publishes the rest', async () => {
    const id = uniqueId('cli');
    const lines = [
      upserted(id, new Date(nowMs - MINUTE).toISOString(), 'one@example.test'),
      upserted(id, '9999-12-31T00:00:00Z', 'frozen@example.test'),
      upserted(id, new Date(nowMs).toISOString(), 'three@example.test'),
    ].map((event) => JSON.stringify(event));
    const errors: string[] = [];
    const out: string[] = [];
    const code = await runEventsCommand(['publish', '-'], {
      publisher: client,
      stdin: Readable.from([lines.join('\n')]),
      out: (line) => out.push(line),
      err: (line) => errors.push(line),
    });
    assert.equal(code, 1);
    assert.deepEqual(out, ['2 accepted, 0 duplicate, 1 rejected']);
    assert.equal(errors.length, 1);
    assert.match(
      errors[0] ?? '',
      /^<stdin>:2: occurredAt: 9999-12-31T00:00:00Z is more than 5 minutes after/,
    );
    assert.equal(await emailOf(id), 'three@example.test');
  });

  it('a profile frozen before the window existed (stamp 9999-12-31) takes updates again after start-up', async (t) => {
    // A database of its own, so the migration has not run on it yet, as on a deployed one.
    const mongo = await MongoClient.connect(harness.servers.mongodbUri);
    t.after(() => mongo.close());
    const db = mongo.db(`occurred_at_migration_${Date.now()}`);
    const cols = collections(db);
    const id = uniqueId('frozen');
    const frozenAt = new Date('9999-12-31T00:00:00Z');
    await upsertProfile(cols.profiles, id, { email: 'frozen@example.test' }, new Date(nowMs));
    await cols.profiles.updateOne({ _id: id }, { $set: { lastEventAt: frozenAt } });
    await cols.products.insertOne({
      _id: 'SKU-FROZEN',
      stock: { inStock: false, at: frozenAt },
      updatedAt: new Date(nowMs),
    });
    await runMigrations(db, () => new Date(nowMs));

    const migrated = new JourneyClient({
      temporal: harness.env.client,
      collections: cols,
      taskQueue: harness.taskQueue,
      playbooks: [],
      holdout: fixedHoldout(TEST_HOLDOUT),
      now: () => new Date(nowMs + MINUTE),
    });
    await migrated.publishEvent(upserted(id, new Date(nowMs + MINUTE).toISOString(), 'thawed@example.test'));
    assert.equal((await findProfile(cols.profiles, id)).email, 'thawed@example.test');
    await migrated.publishEvent({
      type: 'product.stock_changed',
      eventId: uniqueId('stock'),
      occurredAt: new Date(nowMs + MINUTE).toISOString(),
      data: { sku: 'SKU-FROZEN', inStock: true },
    });
    assert.equal((await cols.products.findOne({ _id: 'SKU-FROZEN' }))?.stock?.inStock, true);
  });

  it('the window includes its edges', () => {
    const at = new Date('2026-03-29T01:30:00.000Z');
    const { maxFutureMs, maxPastMs } = DEFAULT_OCCURRED_AT_WINDOW;
    const iso = (ms: number) => new Date(at.getTime() + ms).toISOString();
    assert.equal(occurredAtIssue(iso(maxFutureMs), at, DEFAULT_OCCURRED_AT_WINDOW), undefined);
    assert.equal(occurredAtIssue(iso(-maxPastMs), at, DEFAULT_OCCURRED_AT_WINDOW), undefined);
    assert.equal(occurredAtIssue(iso(maxFutureMs + 1), at, DEFAULT_OCCURRED_AT_WINDOW)?.path, 'occurredAt');
    assert.equal(occurredAtIssue(iso(-maxPastMs - 1), at, DEFAULT_OCCURRED_AT_WINDOW)?.path, 'occurredAt');
    // An offset is honoured: 10:00+02:00 is 08:00Z.
    assert.equal(occurredAtIssue('2026-03-29T03:35:00+02:00', at, DEFAULT_OCCURRED_AT_WINDOW), undefined);
  });
});
