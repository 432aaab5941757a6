import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startFerretDb, type FerretDb } from '../tools/devstack/ferretdb';
import { freePort } from '../tools/devstack/net';
import { demoCatalog } from '../tools/demo/offerCatalog';
import { offersCsv, offersJson } from '../schemas/offers/writeCatalog';
import { offersCollection } from '../store/offers';
import { tempDir } from './support/servers';
import { runCli, type CliRun } from './support/cli';

/*
 * `journeys offers import` as a user runs it, against the real MongoDB-wire server (FerretDB, or
 * MONGODB_URI): good rows land, bad rows are reported by line and field, importing again changes
 * nothing, and the demo catalog imports cleanly and quickly.
 */

describe('journeys offers import', () => {
  const dir = tempDir('journeys-offers');
  let ferret: FerretDb | undefined;
  let mongo: MongoClient;
  let uri: string;
  let db: Db;

  function importOffers(...args: string[]): Promise<CliRun> {
    return runCli(['offers', 'import', ...args], { uri, db: db.databaseName });
  }

  function file(name: string, text: string): string {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  }

  before(async () => {
    uri =
      process.env.MONGODB_URI ||
      (ferret = await startFerretDb({ dataDir: dir.path, port: await freePort() })).uri;
    mongo = await MongoClient.connect(uri);
    db = mongo.db(`test_offers_${Date.now()}`);
  });
  after(async () => {
    await mongo?.close();
    await ferret?.stop();
    dir.remove();
  });

  it('imports the good rows of a JSON file, reports the bad ones by line and field, and is idempotent', async () => {
    const json = file(
      'offers.json',
      [
        '[',
        '  { "kind": "discount", "offerId": "j-1", "title": "10% off", "discountPercent": 10, "marginFloorPercent": 20 },',
        '  { "kind": "discount", "offerId": "j-2", "title": "Too much", "discountPercent": 150 },',
        '  {',
        '    "kind": "partner", "offerId": "j-3", "title": "Beans", "brand": "Rosteriet",',
        '    "category": "coffee-beans", "neverNextTo": ["coffee-beans"], "payoutModel": "cpa", "payout": 2.5',
        '  },',
        '  { "kind": "partner", "offerId": "j-4", "title": "No brand", "category": "tea", "payoutModel": "cpc", "payout": 0.3 }',
        ']',
      ].join('\n'),
    );
    const first = await importOffers(json);
    assert.equal(first.code, 1);
    assert.deepEqual(first.err, [
      `${json}:3: discountPercent: must be at most 100`,
      `${json}:8: brand: required`,
    ]);
    assert.deepEqual(first.out, ['4 rows: 2 inserted, 0 updated, 0 unchanged, 2 bad rows']);
    const stored = await offersCollection(db)
      .find({}, { projection: { _id: 0 } })
      .sort({ offerId: 1 })
      .toArray();
    assert.deepEqual(
      stored.map((offer) => offer.offerId),
      ['j-1', 'j-3'],
    );
    assert.deepEqual(stored[1], {
      kind: 'partner',
      offerId: 'j-3',
      title: 'Beans',
      active: true,
      brand: 'Rosteriet',
      category: 'coffee-beans',
      neverNextTo: ['coffee-beans'],
      payoutModel: 'cpa',
      payout: 2.5,
    });

    const again = await importOffers(json);
    assert.deepEqual(again.out, ['4 rows: 0 inserted, 0 updated, 2 unchanged, 2 bad rows']);
    assert.equal(await offersCollection(db).countDocuments({ offerId: { $in: ['j-1', 'j-3'] } }), 2);
  });

  it('imports a CSV file: strict numbers, lists on "|", updates by offerId, dry run writes nothing', async () => {
    const csv = file(
      'offers.csv',
      [
        'kind,offerId,title,minBasket,eligibleCategories,discountPercent,discountAmount,active',
        'discount,c-1,"Ten off, shoes and socks",50,running-shoes|running-socks,,10,true',
        'discount,c-2,Comma price,"49,90",,10,,true',
        'freeShipping,c-3,Free shipping,,,,,maybe',
        'gift,c-4,Tote bag,25,,,,FALSE',
        'discount,c-1,Same id again,,,5,,',
      ].join('\r\n'),
    );
    const dry = await importOffers(csv, '--dry-run');
    assert.equal(dry.code, 1);
    assert.deepEqual(dry.out, ['5 rows: 2 valid, 3 bad rows (dry run: nothing written)']);
    assert.equal(await offersCollection(db).countDocuments({ offerId: /^c-/ }), 0);

    const run = await importOffers(csv);
    assert.equal(run.code, 1);
    assert.deepEqual(run.err, [
      `${csv}:3: minBasket: "49,90" is not a number: write digits with "." for decimals, such as 49.90`,
      `${csv}:4: active: "maybe" is not true or false`,
      `${csv}:6: offerId: "c-1" is already on line 2`,
    ]);
    assert.deepEqual(run.out, ['5 rows: 2 inserted, 0 updated, 0 unchanged, 3 bad rows']);
    const c1 = await offersCollection(db).findOne({ offerId: 'c-1' }, { projection: { _id: 0 } });
    assert.deepEqual(c1, {
      kind: 'discount',
      offerId: 'c-1',
      title: 'Ten off, shoes and socks',
      active: true,
      minBasket: 50,
      eligibleCategories: ['running-shoes', 'running-socks'],
      discountAmount: 10,
    });

    // Fixed file: the changed row is updated whole, the unchanged one is left alone.
    const fixed = file(
      'fixed.csv',
      [
        'kind,offerId,title,discountPercent,active',
        'discount,c-1,Now a percentage,15,true',
        'gift,c-4,Tote bag,,false',
      ].join('\n'),
    );
    const update = await importOffers(fixed);
    assert.equal(update.code, 0);
    assert.deepEqual(update.err, []);
    assert.deepEqual(update.out, ['2 rows: 0 inserted, 2 updated, 0 unchanged, 0 bad rows']);
    const updated = await offersCollection(db).findOne({ offerId: 'c-1' }, { projection: { _id: 0 } });
    assert.deepEqual(updated, {
      kind: 'discount',
      offerId: 'c-1',
      title: 'Now a percentage',
      active: true,
      discountPercent: 15,
    });
  });

  it('refuses a file whose header has an unknown column, importing nothing', async () => {
    const csv = file('typo.csv', 'kind,offerId,title,minBaskt\ngift,t-1,Tote,10\n');
    const run = await importOffers(csv);
    assert.equal(run.code, 1);
    assert.deepEqual(run.err, [
      `${csv}:1: minBaskt: unknown column (did you mean "minBasket"?): every row would lose its values, so nothing was imported`,
    ]);
    assert.equal(await offersCollection(db).countDocuments({ offerId: 't-1' }), 0);
  });

  // How fast an import runs is a benchmark's figure, not a test's: a timed bound fails on a busy machine.
  it('imports the demo catalog cleanly from JSON and CSV, 10,000 rows', async () => {
    const catalog = demoCatalog({ partnerOffers: 9800 });
    const json = file('demo.json', offersJson(catalog));
    const csv = file('demo.csv', offersCsv(catalog));
    const first = await importOffers(json);
    assert.deepEqual(first.err, []);
    assert.equal(first.code, 0);
    assert.deepEqual(first.out, ['10000 rows: 10000 inserted, 0 updated, 0 unchanged, 0 bad rows']);
    // The same catalog as CSV is the same documents: nothing changes.
    const second = await importOffers(csv);
    assert.deepEqual(second.err, []);
    assert.deepEqual(second.out, ['10000 rows: 0 inserted, 0 updated, 10000 unchanged, 0 bad rows']);
  });
});
