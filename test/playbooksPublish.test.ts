import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { runCli } from '../cli/dispatch';
import { startFerretDb, type FerretDb } from '../tools/devstack/ferretdb';
import { freePort } from '../tools/devstack/net';
import { playbookHash } from '../schemas/playbook/hash';
import { Playbook } from '../schemas/playbook/schema';
import { StoredPlaybooks, versionLabel } from '../router/playbookSource';
import {
  activate,
  activeVersions,
  ensurePlaybookIndexes,
  playbookCollections,
  PlaybookVersionConflictError,
  publishVersion,
  type PlaybookCollections,
} from '../store/playbookVersions';
import { uniqueId } from './support/events';
import { toSchemaVersion1 } from './support/oldForm';
import { cartPlaybook as cartInput } from './support/playbooks';
import { tempDir } from './support/servers';

/** The test cart playbook as publishing stores it: parsed, defaults filled in. */
const cartPlaybook = () => Playbook.parse(cartInput());

/*
 * `journeys playbooks publish` and `list` on the real MongoDB-wire server (FerretDB, or MONGODB_URI):
 * what an author sees when a file changes, and the order arbitration ranks playbooks in.
 */
describe('journeys playbooks publish and list', () => {
  const dir = tempDir('journeys-publish-store');
  let ferret: FerretDb | undefined;
  let mongo: MongoClient;
  let uri: string;
  let db: Db;
  let store: PlaybookCollections;
  before(async () => {
    uri =
      process.env.MONGODB_URI ||
      (ferret = await startFerretDb({ dataDir: dir.path, port: await freePort() })).uri;
    mongo = await MongoClient.connect(uri);
    db = mongo.db(`test_publish_${Date.now()}`);
    await ensurePlaybookIndexes(db);
    store = playbookCollections(db);
  });
  after(async () => {
    await mongo?.close();
    await ferret?.stop();
    dir.remove();
  });

  /** `journeys <argv…>` against this test's database, as an author runs it. */
  async function journeys(...argv: string[]): Promise<{ code: number; out: string[] }> {
    const out: string[] = [];
    const saved = { uri: process.env.MONGODB_URI, db: process.env.MONGODB_DB };
    process.env.MONGODB_URI = uri;
    process.env.MONGODB_DB = db.databaseName;
    try {
      const code = await runCli(argv, {
        out: (l) => out.push(l),
        err: (l) => out.push(l),
      });
      return { code, out };
    } finally {
      if (saved.uri === undefined) delete process.env.MONGODB_URI;
      else process.env.MONGODB_URI = saved.uri;
      if (saved.db === undefined) delete process.env.MONGODB_DB;
      else process.env.MONGODB_DB = saved.db;
    }
  }

  it('refuses a changed file that keeps a published version, and still publishes the other files', async () => {
    const dir = tempDir('journeys-relabel');
    try {
      const first = { ...cartPlaybook(), id: 'cli-relabel' };
      const v = first.version;
      const file = join(dir.path, 'cart.json');
      writeFileSync(file, JSON.stringify(first));
      const published = await journeys('playbooks', 'publish', dir.path);
      assert.equal(published.code, 0, published.out.join('\n'));
      const [stored] = await store.versions.find({ playbookId: 'cli-relabel' }).toArray();
      assert.ok(stored);

      const changed = {
        ...first,
        templates: { reminder: { ...first.templates.reminder, subject: 'Still thinking it over?' } },
      };
      writeFileSync(file, JSON.stringify(changed));
      writeFileSync(join(dir.path, 'beside.json'), JSON.stringify({ ...first, id: 'cli-beside' }));
      const refused = await journeys('playbooks', 'publish', dir.path);
      assert.equal(refused.code, 1);
      assert.ok(
        refused.out.includes(
          `${file}: version: cli-relabel version ${v} is already published with different content ` +
            `(hash ${stored.hash.slice(0, 12)}); bump \`version\` (to ${v + 1}: the highest published is ${v})`,
        ),
        refused.out.join('\n'),
      );
      assert.match(refused.out.join('\n'), new RegExp(`cli-beside v${v} [0-9a-f]{12} published`));
      assert.deepEqual(
        (await store.versions.find({ playbookId: 'cli-relabel' }).toArray()).map((r) => r.hash),
        [stored.hash],
        'the version still names one content',
      );

      writeFileSync(file, JSON.stringify({ ...changed, version: v + 1 }));
      const bumped = await journeys('playbooks', 'publish', dir.path);
      assert.equal(bumped.code, 0, bumped.out.join('\n'));
      assert.match(bumped.out.join('\n'), new RegExp(`cli-relabel v${v + 1} [0-9a-f]{12} published`));
      // The first content again is still the same version: publishing stays idempotent.
      assert.equal((await publishVersion(store, Playbook.parse(first), new Date())).created, false);
    } finally {
      dir.remove();
    }
  });

  it('lets only one of two publishes racing with different content under one version win', async () => {
    const id = uniqueId('race');
    const a = { ...cartPlaybook(), id };
    const b = { ...a, name: 'Another cart' };
    const results = await Promise.allSettled([
      publishVersion(store, a, new Date()),
      publishVersion(store, b, new Date()),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const refused = results.find((r) => r.status === 'rejected');
    assert.ok(refused?.reason instanceof PlaybookVersionConflictError, String(refused?.reason));
    assert.equal(await store.versions.countDocuments({ playbookId: id }), 1);
  });

  it('a store that already lists two contents as one version still starts, and takes no third', async () => {
    const other = await MongoClient.connect(uri);
    try {
      const legacyDb = other.db(`${db.databaseName}_legacy`);
      const legacy = playbookCollections(legacyDb);
      const a = { ...cartPlaybook(), id: 'legacy' };
      const twice = [a, { ...a, name: 'Legacy cart' }].map((definition) => ({
        playbookId: definition.id,
        hash: playbookHash(definition),
        version: definition.version,
        definition,
        publishedAt: new Date(),
      }));
      await legacy.versions.insertMany(twice);
      await ensurePlaybookIndexes(legacyDb);
      await assert.rejects(
        publishVersion(legacy, { ...a, name: 'A third cart' }, new Date()),
        new RegExp(`legacy version ${a.version} is already published with different content`),
      );
      assert.equal((await publishVersion(legacy, a, new Date())).created, false);
    } finally {
      await other.close();
    }
  });

  it('a version stored in the form before schemaVersion 2 still loads, and its file in the new form is unchanged', async () => {
    const dir = tempDir('journeys-old-form');
    try {
      const id = uniqueId('old-form').replace(/[^a-z0-9-]/g, '');
      const current = Playbook.parse({
        ...cartInput(),
        id,
        entry: { key: 'event.data.cartId', onRepeat: 'refresh' },
      });
      // As the code before schemaVersion 2 stored it: the old form, under the hash of that form.
      const old = toSchemaVersion1(current);
      const hash = playbookHash(old);
      await store.versions.insertOne({
        playbookId: id,
        hash,
        version: old.version,
        definition: old,
        publishedAt: new Date(),
      });
      await activate(store, id, new Date());

      const loaded = (await activeVersions(store)).find((v) => v.definition.id === id);
      assert.deepEqual(loaded, { definition: current, hash });
      const entering = (await new StoredPlaybooks(store).current()).find((p) => p.id === id);
      assert.ok(entering);
      assert.equal(
        versionLabel(entering),
        `v${current.version}@${hash.slice(0, 12)}`,
        'the hash Ops can look up',
      );

      const file = join(dir.path, 'cart.json');
      writeFileSync(file, JSON.stringify(current));
      const republished = await journeys('playbooks', 'publish', file);
      assert.equal(republished.code, 0, republished.out.join('\n'));
      assert.deepEqual(republished.out, [
        `${id} v${current.version} ${hash.slice(0, 12)} unchanged (already published)`,
      ]);
      assert.equal(await store.versions.countDocuments({ playbookId: id }), 1);
    } finally {
      dir.remove();
    }
  });

  it('activate --version takes the version, --hash the content hash, and a hash given to --version still works', async () => {
    // A v1 whose content hash starts with "1" makes `--version 1` ambiguous (a case of its own, refused
    // with a usage error); the ID is unique per run, so pick one whose hash does not.
    let id: string;
    let v1: Playbook;
    do {
      id = uniqueId('activate').replace(/[^a-z0-9-]/g, '');
      v1 = { ...cartPlaybook(), id, version: 1 };
    } while (playbookHash(v1).startsWith('1'));
    const v2 = { ...v1, version: 2, name: 'Cart, second version' };
    const first = await publishVersion(store, v1, new Date());
    const second = await publishVersion(store, v2, new Date());
    const active = async () => (await store.states.findOne({ _id: id }))?.activeHash;

    // A hash prefix that is not a number: no version can be meant.
    const hex = (hash: string) => {
      const at = [...hash].findIndex((c) => /[a-f]/.test(c));
      return hash.slice(0, Math.max(at + 1, 8));
    };
    const byVersion = await journeys('playbooks', 'activate', id, '--version', '1');
    assert.deepEqual(byVersion, { code: 0, out: [`${id} active: v1 ${first.hash.slice(0, 12)}`] });
    assert.equal(await active(), first.hash);

    const byHash = await journeys('playbooks', 'activate', id, '--hash', hex(second.hash));
    assert.deepEqual(byHash, { code: 0, out: [`${id} active: v2 ${second.hash.slice(0, 12)}`] });

    const old = await journeys('playbooks', 'activate', id, '--version', hex(first.hash));
    assert.equal(old.code, 0, old.out.join('\n'));
    assert.deepEqual(old.out, [
      `--version ${hex(first.hash)}: it is not a version number: it is taken as the start of a content hash, ` +
        `as --version took before; write --hash ${hex(first.hash)} (--version now takes the playbook's version, e.g. --version 3)`,
      `${id} active: v1 ${first.hash.slice(0, 12)}`,
    ]);

    const missing = await journeys('playbooks', 'activate', id, '--version', 'v7');
    assert.equal(missing.code, 1);
    assert.match(
      missing.out.join('\n'),
      new RegExp(`playbook ${id}: no published version matches version 7`),
    );
    assert.equal(await active(), first.hash);
  });

  it('warns on publish when priority is left to the default, and lists playbooks in arbitration order', async () => {
    const dir = tempDir('journeys-list');
    try {
      const tag = uniqueId('rank').replace(/[^a-z0-9-]/g, '');
      const files = {
        'new.json': { ...cartInput(), id: `${tag}-new` },
        'low.json': { ...cartInput(), id: `${tag}-low`, priority: 30 },
        'valued.json': { ...cartInput(), id: `${tag}-valued`, priority: 30, expectedValue: 12 },
        'service.json': { ...cartInput(), id: `${tag}-service`, priority: 90 },
      };
      for (const [name, playbook] of Object.entries(files))
        writeFileSync(join(dir.path, name), JSON.stringify(playbook));
      const published = await journeys('playbooks', 'publish', dir.path);
      assert.equal(published.code, 0, published.out.join('\n'));
      assert.ok(
        published.out.includes(
          `${join(dir.path, 'new.json')}: priority: warning: not set, so it takes the default 100 and wins ` +
            'over every playbook with a lower priority whenever both want the same customer at once; set ' +
            'priority (0–1000, higher wins) to say where it ranks (journeys playbooks list shows the order)',
        ),
        published.out.join('\n'),
      );
      for (const name of ['new', 'low', 'valued', 'service']) {
        assert.equal((await journeys('playbooks', 'activate', `${tag}-${name}`)).code, 0);
      }
      const listed = await journeys('playbooks', 'list');
      assert.equal(listed.code, 0, listed.out.join('\n'));
      assert.match(listed.out[0] ?? '', /^playbook +status +priority +value +active$/);
      const mine = listed.out.filter((line) => line.startsWith(tag));
      assert.deepEqual(
        mine.map((line) => line.split(/ +/).slice(0, 4)),
        [
          [`${tag}-new`, 'active', '100', '-'],
          [`${tag}-service`, 'active', '90', '-'],
          [`${tag}-valued`, 'active', '30', '12'],
          [`${tag}-low`, 'active', '30', '-'],
        ],
      );
    } finally {
      dir.remove();
    }
  });
});
