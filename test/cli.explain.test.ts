import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { createRecordDecisions } from '../activities/recordDecisions';
import { startFerretDb, type FerretDb } from '../tools/devstack/ferretdb';
import { freePort } from '../tools/devstack/net';
import type { Decision } from '../engine/interpreter/types';
import type { OfferDecision } from '../engine/offers/offer';
import {
  collections,
  ensureIndexes,
  type Collections,
  type DeliveryIdentity,
  type EntryRecord,
  type OfferGrantRecord,
} from '../store/collections';
import { decisionRecordId, recordDecisions, type DecisionRecord } from '../store/decisions';
import { runMigrations } from '../store/migrations';
import { findRunSummary } from '../store/runSummaries';
import { claimDelivery, recordSuppression, settleDelivery } from '../store/deliveries';
import { CounterWriter } from '../store/consoleCounts';
import { customerHistory } from '../store/customerHistory';
import { recordEntry } from '../store/entries';
import { recordEntryRun } from '../store/entryRuns';
import { recordGrant, tallyGrant } from '../store/offerGrants';
import { knownPlaybookIds, playbookCollections } from '../store/playbookVersions';
import { tempDir } from './support/servers';
import { runCli, type CliRun } from './support/cli';

/*
 * Decision records and `journeys explain` on the real MongoDB-wire server (FerretDB, or
 * MONGODB_URI): the records are written as the worker writes them, the CLI runs as a user runs it.
 */

const ADA = 'c-ada';
const CART = 'journey:cart-abandonment:c-ada';
const BROWSE = 'journey:browse-abandonment:c-ada';
const ORDER = 'journey:post-purchase-offers:c-ada';
const at = (time: string) => `2026-11-21T${time}Z`;
const date = (time: string) => new Date(at(time));

function decision(
  time: string,
  playbookId: string,
  rest: Omit<Decision, 'at' | 'customerId' | 'playbookId'>,
) {
  return { at: at(time), customerId: ADA, playbookId, ...rest };
}

const cartDecisions: Decision[] = [
  decision('07:00:00.000', 'cart-abandonment', {
    action: 'enter',
    step: null,
    reason: 'trigger:cart.updated',
  }),
  decision('08:00:00.000', 'cart-abandonment', { action: 'send', step: 'reminder', channel: 'email' }),
  decision('10:00:00.000', 'cart-abandonment', {
    action: 'suppress',
    step: 'nudge',
    channel: 'sms',
    reason: 'cap:sms ≤ 1 per day',
    rule: 'sms ≤ 1 per day',
    count: 1,
  }),
  // The run decided to send its last chance, and its delivery is still under way.
  decision('11:00:00.000', 'cart-abandonment', { action: 'send', step: 'last-chance', channel: 'sms' }),
];
const browseDecisions: Decision[] = [
  decision('07:30:00.000', 'browse-abandonment', {
    action: 'enter',
    step: null,
    reason: 'trigger:product.viewed',
  }),
  decision('09:00:00.000', 'browse-abandonment', {
    action: 'suppress',
    step: 'suggest',
    channel: 'email',
    reason: 'arbitration',
    winner: 'cart-abandonment',
  }),
];

const orderDecisions: Decision[] = [
  decision('12:00:00.000', 'post-purchase-offers', {
    action: 'enter',
    step: null,
    reason: 'trigger:order.placed',
  }),
  decision('13:00:00.000', 'post-purchase-offers', {
    action: 'send',
    step: 'thanks',
    channel: 'email',
    offerId: 'own-fair',
  }),
];

/** What the decideOffer step stored for Ada's order, as decideOffer stores it. */
const fair: OfferDecision = {
  offerId: 'own-fair',
  kind: 'discount',
  title: '10% off',
  code: 'FAIR10',
  discountPercent: 10,
  discountAmount: 12,
  contextKey: 'kitchen',
  scores: { engagement: 0.041, value: 30, expectedValue: 1.23, explored: false, eligible: 3, considered: 5 },
  rejected: { 'margin-floor': 1, inactive: 1 },
  reasons: [
    'margin 33.3% ≥ floor 20%',
    'value 30.00 = order margin 25.00 + long-term 5.00',
    'engagement 4.1% sampled from 120 showings, 5 engaged, in kitchen',
    'expected value 1.23 = engagement 4.1% × value 30.00',
    'best of 3 eligible by sampled expected value',
  ],
};

/** The lines under Ada's offer line: the stored reasons, then what was turned down. */
const OFFER_NOTES = [
  '    - margin 33.3% ≥ floor 20%',
  '    - value 30.00 = order margin 25.00 + long-term 5.00',
  '    - engagement 4.1% sampled from 120 showings, 5 engaged, in kitchen',
  '    - expected value 1.23 = engagement 4.1% × value 30.00',
  '    - best of 3 eligible by sampled expected value',
  '    rejected: margin-floor 1, inactive 1',
];

function grant(customerId: string, arm: OfferGrantRecord['arm']): OfferGrantRecord {
  return {
    _id: `post-purchase-offers:${customerId}:e-order:choose`,
    customerId,
    playbookId: 'post-purchase-offers',
    journeyId: `journey:post-purchase-offers:${customerId}`,
    arm,
    offerId: 'own-fair',
    kind: 'discount',
    contextKey: 'kitchen',
    decision: fair,
    decidedAt: date('13:00:00.000'),
  };
}

function identity(
  journeyId: string,
  playbookId: string,
  step: string,
  entryEventId: string,
): DeliveryIdentity {
  return {
    idempotencyKey: `${playbookId}:${ADA}:${entryEventId}:${step}`,
    customerId: ADA,
    playbookId,
    playbookVersion: 2,
    journeyId,
    entryEventId,
    step,
    arm: 'treatment',
  };
}

describe('decision records and journeys explain', () => {
  const dir = tempDir('journeys-explain');
  let ferret: FerretDb | undefined;
  let mongo: MongoClient;
  let uri: string;
  let db: Db;
  let cols: Collections;

  /** The recordDecisions activity as the worker makes it, on this file's database. */
  function recorder(now?: () => Date) {
    return createRecordDecisions({
      decisions: cols.decisions,
      runSummaries: cols.runSummaries,
      runCountMarkers: cols.runCountMarkers,
      counters: new CounterWriter({ shards: cols.counterShards, writers: cols.counterWriters }),
      ...(now && { now }),
    });
  }

  /** An entry as the router records it: the entry, and its place in the customer's list. */
  async function enter(entry: EntryRecord): Promise<void> {
    await recordEntry(cols.entries, entry);
    await recordEntryRun(cols.entryRuns, entry);
  }

  /** A grant as decideOffer records it: the grant, and its customer's tally. */
  async function grantOffer(record: OfferGrantRecord): Promise<void> {
    await tallyGrant(cols.offerGrantTallies, await recordGrant(cols.offerGrants, record));
  }

  /** The CLI as a user runs it, against this file's database. */
  function explain(...args: string[]): Promise<CliRun> {
    return runCli(['explain', ...args], { uri, db: db.databaseName });
  }

  before(async () => {
    uri =
      process.env.MONGODB_URI ||
      (ferret = await startFerretDb({ dataDir: dir.path, port: await freePort() })).uri;
    mongo = await MongoClient.connect(uri);
    db = mongo.db(`test_explain_${Date.now()}`);
    await ensureIndexes(db);
    cols = collections(db);
    // The playbooks are published: a customer can only have entered a published one.
    const now = new Date();
    await playbookCollections(db).states.insertMany(
      ['cart-abandonment', 'browse-abandonment', 'post-purchase-offers'].map((_id) => ({
        _id,
        status: 'active' as const,
        updatedAt: now,
        log: [],
      })),
    );

    await enter({
      journeyId: CART,
      playbookId: 'cart-abandonment',
      playbookVersion: 2,
      playbookLabel: 'v2@519149765061',
      customerId: ADA,
      entryEventId: 'e-cart',
      arm: 'treatment',
      enteredAt: date('07:00:00.000'),
    });
    await enter({
      journeyId: BROWSE,
      playbookId: 'browse-abandonment',
      playbookVersion: 1,
      playbookLabel: 'v1@0a1b2c3d4e5f',
      customerId: ADA,
      entryEventId: 'e-browse',
      arm: 'control',
      enteredAt: date('07:30:00.000'),
    });

    const record = recorder();
    await record({
      journeyId: CART,
      entryEventId: 'e-cart',
      playbookVersion: 2,
      firstSeq: 0,
      decisions: cartDecisions,
    });
    await record({
      journeyId: BROWSE,
      entryEventId: 'e-browse',
      playbookVersion: 1,
      firstSeq: 0,
      decisions: browseDecisions,
    });

    // Ada's order: the post-purchase run chose an offer an hour later and sent it with its thanks.
    await enter({
      journeyId: ORDER,
      playbookId: 'post-purchase-offers',
      playbookVersion: 1,
      playbookLabel: 'v1@77aa00bb11cc',
      customerId: ADA,
      entryEventId: 'e-order',
      arm: 'treatment',
      enteredAt: date('12:00:00.000'),
    });
    await record({
      journeyId: ORDER,
      entryEventId: 'e-order',
      playbookVersion: 1,
      firstSeq: 0,
      decisions: orderDecisions,
    });
    await grantOffer(grant(ADA, 'treatment'));

    const store = { deliveries: cols.deliveries, attempts: cols.deliveryAttempts };
    const reminder = identity(CART, 'cart-abandonment', 'reminder', 'e-cart');
    await claimDelivery(
      store,
      { ...reminder, channel: 'email', to: 'ada@example.test' },
      date('08:00:01.000'),
    );
    await settleDelivery(
      store,
      reminder.idempotencyKey,
      { status: 'sent', providerMessageId: '<m1@journeys.local>' },
      date('08:00:02.000'),
    );
    await recordSuppression(
      cols.deliveries,
      {
        ...identity(CART, 'cart-abandonment', 'nudge', 'e-cart'),
        channel: 'sms',
        reason: 'cap:sms ≤ 1 per day',
      },
      date('10:00:00.100'),
    );
    // Twilio refused the first attempt outright (a 429): the retry claims a second one, under way.
    const lastChance = identity(CART, 'cart-abandonment', 'last-chance', 'e-cart');
    await claimDelivery(store, { ...lastChance, channel: 'sms', to: '+46701234567' }, date('11:00:00.000'));
    await settleDelivery(
      store,
      lastChance.idempotencyKey,
      { status: 'pending', reason: 'Twilio 429: Too Many Requests' },
      date('11:00:01.000'),
    );
    await claimDelivery(store, { ...lastChance, channel: 'sms', to: '+46701234567' }, date('11:00:05.000'));
    const thanks = {
      ...identity(ORDER, 'post-purchase-offers', 'thanks', 'e-order'),
      offer: { offerId: 'own-fair', contextKey: 'kitchen' },
    };
    await claimDelivery(store, { ...thanks, channel: 'email', to: 'ada@example.test' }, date('13:00:00.500'));
    await settleDelivery(
      store,
      thanks.idempotencyKey,
      { status: 'sent', providerMessageId: '<m2@journeys.local>' },
      date('13:00:01.000'),
    );

    // Someone else's records, which must not show.
    await enter({
      journeyId: 'journey:cart-abandonment:c-bob',
      playbookId: 'cart-abandonment',
      playbookVersion: 2,
      playbookLabel: 'v2@519149765061',
      customerId: 'c-bob',
      entryEventId: 'e-bob',
      arm: 'treatment',
      enteredAt: date('07:15:00.000'),
    });
    await record({
      journeyId: 'journey:cart-abandonment:c-bob',
      entryEventId: 'e-bob',
      playbookVersion: 2,
      firstSeq: 0,
      decisions: [{ ...cartDecisions[0]!, customerId: 'c-bob' }],
    });
    await grantOffer(grant('c-bob', 'control'));
  });
  after(async () => {
    await mongo?.close();
    await ferret?.stop();
    dir.remove();
  });

  it('records a retried or replayed batch once; a batch that partly repeats adds only what is new', async () => {
    const record = recorder(() => date('23:00:00.000'));
    const count = () => cols.decisions.countDocuments({ journeyId: CART });
    const before = await cols.decisions.find({ journeyId: CART }).sort({ seq: 1 }).toArray();
    assert.equal(before.length, 4);

    // The activity retried, or the workflow replayed: the same batch, the same _ids.
    await record({
      journeyId: CART,
      entryEventId: 'e-cart',
      playbookVersion: 2,
      firstSeq: 0,
      decisions: cartDecisions,
    });
    assert.equal(await count(), 4);
    assert.deepEqual(await cols.decisions.find({ journeyId: CART }).sort({ seq: 1 }).toArray(), before);

    // A re-entry under the same workflow ID is another run: its seq 0 is a new record.
    const reentry = recorder();
    const other = { journeyId: 'journey:wishlist:c-carl', entryEventId: 'e-1', playbookVersion: 1 };
    const [first, second] = [0, 1].map(
      (i) => ({ ...cartDecisions[i]!, customerId: 'c-carl', playbookId: 'wishlist' }) satisfies Decision,
    );
    await reentry({ ...other, firstSeq: 0, decisions: [first!] });
    await reentry({ ...other, firstSeq: 0, decisions: [first!, second!] }); // seq 0 again, seq 1 new
    await reentry({ ...other, entryEventId: 'e-2', firstSeq: 0, decisions: [first!] });
    assert.deepEqual(
      (await cols.decisions.find({ customerId: 'c-carl' }).sort({ entryEventId: 1, seq: 1 }).toArray()).map(
        (r) => r._id,
      ),
      ['journey:wishlist:c-carl:e-1:0', 'journey:wishlist:c-carl:e-1:1', 'journey:wishlist:c-carl:e-2:0'],
    );
  });

  it('rethrows a write error other than a duplicate, even behind a duplicate in the same batch', async () => {
    const existing = await cols.decisions.findOne({ journeyId: CART, seq: 0 });
    assert.ok(existing);
    // MongoDB and FerretDB both refuse an array as _id. The driver names the error after the first
    // write error only (the duplicate), so a check of that code alone would swallow this.
    const invalid = { ...existing, _id: ['not', 'an', 'id'] } as unknown as DecisionRecord;
    await assert.rejects(recordDecisions(cols.decisions, [existing, invalid]), (error: Error) => {
      assert.equal(error.name, 'MongoBulkWriteError');
      return true;
    });
  });

  it('reads by `_id` alone, but for the small playbook_states collection', async () => {
    // FerretDB 1.24 answers any other filter by reading the whole collection: explain would cost
    // time in proportion to everything stored (issue 16).
    const monitored = await MongoClient.connect(uri, { monitorCommands: true });
    const reads: { collection: string; filter: unknown }[] = [];
    monitored.on('commandStarted', (event) => {
      const command = event.command as Record<string, unknown>;
      const collection = command[event.commandName];
      if (event.commandName === 'find')
        reads.push({ collection: String(collection), filter: command.filter });
      else if (['count', 'aggregate', 'distinct'].includes(event.commandName))
        reads.push({ collection: String(collection), filter: event.commandName });
    });
    try {
      const mdb = monitored.db(db.databaseName);
      const ids = await knownPlaybookIds(playbookCollections(mdb));
      const history = await customerHistory(collections(mdb), ids, ADA, 100);
      assert.deepEqual(history.totals, { entries: 3, decisions: 8, deliveries: 4, offers: 1 });
    } finally {
      await monitored.close();
    }
    assert.ok(reads.length > 0);
    for (const read of reads) {
      if (read.collection === 'playbook_states') continue;
      const filter = read.filter as Record<string, unknown>;
      assert.ok(
        typeof filter === 'object' && Object.keys(filter).join() === '_id' && typeof filter._id === 'string',
        `${read.collection}: ${JSON.stringify(read.filter)} is not a point read by _id`,
      );
    }
  });

  it("prints the customer's entries, decisions, offers and deliveries as one timeline, oldest first", async () => {
    const run = await explain(ADA);
    assert.equal(run.code, 0, run.err.join('\n'));
    assert.deepEqual(run.err, []);
    assert.deepEqual(run.out, [
      'customer c-ada: 3 entries, 8 decisions, 1 offer, 4 deliveries',
      '2026-11-21T07:00:00.000Z  entry     cart-abandonment      treatment   -            -      version=v2@519149765061 run=journey:cart-abandonment:c-ada event=e-cart',
      '2026-11-21T07:00:00.000Z  decision  cart-abandonment      enter       -            -      reason=trigger:cart.updated',
      '2026-11-21T07:30:00.000Z  entry     browse-abandonment    control     -            -      version=v1@0a1b2c3d4e5f run=journey:browse-abandonment:c-ada event=e-browse',
      '2026-11-21T07:30:00.000Z  decision  browse-abandonment    enter       -            -      reason=trigger:product.viewed',
      '2026-11-21T08:00:00.000Z  decision  cart-abandonment      send        reminder     email',
      '2026-11-21T08:00:01.000Z  delivery  cart-abandonment      sent        reminder     email  to=ada@example.test attempts=1 provider-id=<m1@journeys.local>',
      '2026-11-21T09:00:00.000Z  decision  browse-abandonment    suppress    suggest      email  reason=arbitration winner=cart-abandonment',
      '2026-11-21T10:00:00.000Z  decision  cart-abandonment      suppress    nudge        sms    reason="cap:sms ≤ 1 per day" rule="sms ≤ 1 per day" count=1',
      '2026-11-21T10:00:00.100Z  delivery  cart-abandonment      suppressed  nudge        sms    reason="cap:sms ≤ 1 per day" attempts=0',
      '2026-11-21T11:00:00.000Z  decision  cart-abandonment      send        last-chance  sms',
      '2026-11-21T11:00:00.000Z  delivery  cart-abandonment      sending     last-chance  sms    to=+46701234567 reason="Twilio 429: Too Many Requests" attempts=2',
      '2026-11-21T12:00:00.000Z  entry     post-purchase-offers  treatment   -            -      version=v1@77aa00bb11cc run=journey:post-purchase-offers:c-ada event=e-order',
      '2026-11-21T12:00:00.000Z  decision  post-purchase-offers  enter       -            -      reason=trigger:order.placed',
      '2026-11-21T13:00:00.000Z  decision  post-purchase-offers  send        thanks       email  offer=own-fair',
      '2026-11-21T13:00:00.000Z  offer     post-purchase-offers  decide      choose       -      own-fair "10% off" (discount) EV 1.23 = 4.1% × 30.00, best of 3 eligible of 5',
      ...OFFER_NOTES,
      '2026-11-21T13:00:00.500Z  delivery  post-purchase-offers  sent        thanks       email  to=ada@example.test attempts=1 provider-id=<m2@journeys.local> offer=own-fair',
    ]);
  });

  it('--json prints the same timeline as an array, with every field', async () => {
    const run = await explain(ADA, '--json');
    assert.equal(run.code, 0, run.err.join('\n'));
    const items = JSON.parse(run.stdout) as { kind: string; at: string }[];
    assert.deepEqual(
      items.map((item) => `${item.at} ${item.kind}`),
      [
        '2026-11-21T07:00:00.000Z entry',
        '2026-11-21T07:00:00.000Z decision',
        '2026-11-21T07:30:00.000Z entry',
        '2026-11-21T07:30:00.000Z decision',
        '2026-11-21T08:00:00.000Z decision',
        '2026-11-21T08:00:01.000Z delivery',
        '2026-11-21T09:00:00.000Z decision',
        '2026-11-21T10:00:00.000Z decision',
        '2026-11-21T10:00:00.100Z delivery',
        '2026-11-21T11:00:00.000Z decision',
        '2026-11-21T11:00:00.000Z delivery',
        '2026-11-21T12:00:00.000Z entry',
        '2026-11-21T12:00:00.000Z decision',
        '2026-11-21T13:00:00.000Z decision',
        '2026-11-21T13:00:00.000Z offer',
        '2026-11-21T13:00:00.500Z delivery',
      ],
    );
    assert.deepEqual(items[1], {
      kind: 'decision',
      at: '2026-11-21T07:00:00.000Z',
      playbookId: 'cart-abandonment',
      journeyId: CART,
      entryEventId: 'e-cart',
      seq: 0,
      playbookVersion: 2,
      step: null,
      action: 'enter',
      reason: 'trigger:cart.updated',
    });
    assert.deepEqual(items[5], {
      kind: 'delivery',
      at: '2026-11-21T08:00:01.000Z',
      playbookId: 'cart-abandonment',
      journeyId: CART,
      entryEventId: 'e-cart',
      step: 'reminder',
      status: 'sent',
      channel: 'email',
      to: 'ada@example.test',
      providerMessageId: '<m1@journeys.local>',
      attempts: 1,
      idempotencyKey: 'cart-abandonment:c-ada:e-cart:reminder',
      updatedAt: '2026-11-21T08:00:02.000Z',
    });
    assert.deepEqual(items[7], {
      kind: 'decision',
      at: '2026-11-21T10:00:00.000Z',
      playbookId: 'cart-abandonment',
      journeyId: CART,
      entryEventId: 'e-cart',
      seq: 2,
      playbookVersion: 2,
      step: 'nudge',
      action: 'suppress',
      channel: 'sms',
      reason: 'cap:sms ≤ 1 per day',
      rule: 'sms ≤ 1 per day',
      count: 1,
    });
    assert.deepEqual(items[14], {
      kind: 'offer',
      at: '2026-11-21T13:00:00.000Z',
      playbookId: 'post-purchase-offers',
      journeyId: ORDER,
      step: 'choose',
      arm: 'treatment',
      offerId: 'own-fair',
      offerKind: 'discount',
      title: '10% off',
      code: 'FAIR10',
      discountPercent: 10,
      discountAmount: 12,
      contextKey: 'kitchen',
      scores: {
        engagement: 0.041,
        value: 30,
        expectedValue: 1.23,
        explored: false,
        eligible: 3,
        considered: 5,
      },
      reasons: fair.reasons,
      rejected: { 'margin-floor': 1, inactive: 1 },
      decisionKey: 'post-purchase-offers:c-ada:e-order:choose',
    });
    assert.deepEqual((items[15] as { offer?: unknown }).offer, {
      offerId: 'own-fair',
      contextKey: 'kitchen',
    });
  });

  it('--limit keeps the newest items, offers among them, and says how many there are', async () => {
    const run = await explain(ADA, '--limit', '2');
    assert.equal(run.code, 0, run.err.join('\n'));
    assert.deepEqual(run.out, [
      'customer c-ada: 3 entries, 8 decisions, 1 offer, 4 deliveries; the latest 2 of 16 shown (--limit N for more)',
      // Columns are as wide as the rows shown need.
      '2026-11-21T13:00:00.000Z  offer     post-purchase-offers  decide  choose  -      own-fair "10% off" (discount) EV 1.23 = 4.1% × 30.00, best of 3 eligible of 5',
      ...OFFER_NOTES,
      '2026-11-21T13:00:00.500Z  delivery  post-purchase-offers  sent    thanks  email  to=ada@example.test attempts=1 provider-id=<m2@journeys.local> offer=own-fair',
    ]);
  });

  it("report counts: runs by step and the day's sends and suppressions, each batch once", async () => {
    // The first test recorded Ada's cart batch again: it is not counted twice.
    const run = await runCli(
      [
        'report',
        'counts',
        '--playbook',
        'cart-abandonment',
        '--from',
        '2026-11-21',
        '--to',
        '2026-11-22',
        '--json',
      ],
      { uri, db: db.databaseName },
    );
    assert.equal(run.code, 0, run.err.join('\n'));
    assert.deepEqual(JSON.parse(run.stdout), [
      {
        playbookId: 'cart-abandonment',
        entered: 2, // Ada and Bob
        ended: {},
        steps: [
          { step: '(entered)', at: 1, passed: 0 }, // Bob has decided nothing at a step
          { step: 'last-chance', at: 1, passed: 1 },
          { step: 'nudge', at: 0, passed: 1 },
          { step: 'reminder', at: 0, passed: 1 },
        ],
        days: [
          {
            day: '2026-11-21',
            sends: { email: 1, sms: 1 },
            suppressions: { 'cap:sms ≤ 1 per day': 1 },
            holdouts: {},
            defers: {},
          },
        ],
      },
    ]);
  });

  it('a customer recorded before summaries and full entry lists is explained after the migrations', async () => {
    // Written as the engine wrote them before issue 16: entries alone, decisions without summaries.
    const dee = 'c-dee';
    const run = 'journey:cart-abandonment:c-dee';
    await recordEntry(cols.entries, {
      journeyId: run,
      playbookId: 'cart-abandonment',
      playbookVersion: 2,
      playbookLabel: 'v2@519149765061',
      customerId: dee,
      entryEventId: 'e-dee',
      arm: 'treatment',
      enteredAt: date('06:00:00.000'),
    });
    await cols.entryRuns.insertOne({
      _id: JSON.stringify(['cart-abandonment', dee]),
      runs: [{ journeyId: run, enteredAt: date('06:00:00.000') }],
    });
    const legacy = cartDecisions.slice(0, 2).map((d, seq): DecisionRecord => ({
      ...d,
      customerId: dee,
      _id: decisionRecordId(run, 'e-dee', seq),
      journeyId: run,
      entryEventId: 'e-dee',
      seq,
      playbookVersion: 2,
      recordedAt: date('06:00:00.000'),
    }));
    await recordDecisions(cols.decisions, legacy);
    const ids = ['cart-abandonment'];
    assert.equal((await customerHistory(cols, ids, dee, 100)).totals.entries, 0);
    await runMigrations(db);
    const history = await customerHistory(cols, ids, dee, 100);
    assert.deepEqual(history.totals, { entries: 1, decisions: 2, deliveries: 0, offers: 0 });
    assert.equal((await findRunSummary(cols.runSummaries, run, 'e-dee'))?.step, 'reminder');
  });

  it('says so, and exits 0, for a customer with nothing recorded', async () => {
    const run = await explain('c-nobody');
    assert.equal(run.code, 0);
    assert.deepEqual(run.out, ['no entries, decisions, offers or deliveries recorded for customer c-nobody']);
    const json = await explain('c-nobody', '--json');
    assert.equal(json.code, 0);
    assert.deepEqual(JSON.parse(json.stdout), []);
  });

  it('exits 2 with the usage on wrong arguments', async () => {
    for (const [args, message] of [
      [[], 'missing <customerId>'],
      [['--customer'], '--customer needs a value'],
      [[ADA, '--limit', '0'], '--limit: "0" is not a whole number from 1 to 999999'],
      [[ADA, '--verbose'], 'unknown option --verbose'],
      [[ADA, 'extra'], 'unexpected argument "extra"'],
      [
        [ADA, '--customer', ADA],
        `<customerId> is given twice ("${ADA}" and --customer "${ADA}"): give it once, as <customerId>`,
      ],
    ] as const) {
      const run = await explain(...args);
      assert.equal(run.code, 2, args.join(' '));
      assert.equal(run.err[0], message);
      assert.match(run.err.at(-1) ?? '', /journeys explain <customerId> \[--json\] \[--limit N\]/);
    }
  });

  it('still takes the customer in its older form, --customer <id>, and says so in --help', async () => {
    const positional = await explain(ADA, '--json');
    const flag = await explain('--customer', ADA, '--json');
    assert.equal(flag.code, 0, flag.err.join('\n'));
    assert.equal(flag.stdout, positional.stdout);
    const help = await explain('--help');
    assert.match(help.stdout, /journeys explain <customerId> \[--json\] \[--limit N\]/);
    assert.match(
      help.stdout,
      /--customer <id> \(the older form of the customer argument\) is still accepted/,
    );
  });
});
