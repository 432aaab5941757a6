import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../cli/dispatch';
import { StoredPlaybooks } from '../router/playbookSource';
import { journeyId } from '../engine/interpreter/entry';
import {
  activate,
  ensurePlaybookIndexes,
  listStates,
  playbookCollections,
  publishVersion,
  setStatus,
  type PlaybookCollections,
} from '../store/playbookVersions';
import { upsertProfile } from '../store/profiles';
import type { JourneyResult } from '../workflows/journey';
import { cartUpdated, uniqueId } from './support/events';
import { tempDir } from './support/servers';
import { cartPlaybook, startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

describe('playbook versions and lifecycle', () => {
  let h: TimeSkippingHarness;
  let store: PlaybookCollections;
  before(async () => {
    h = await startTimeSkippingHarness('versions');
    await ensurePlaybookIndexes(h.servers.db);
    store = playbookCollections(h.servers.db);
  });
  after(async () => {
    await h?.close();
  });

  const customer = async () => {
    const id = uniqueId('v');
    await upsertProfile(
      h.servers.collections.profiles,
      id,
      { firstName: 'Ada', email: `${id}@example.test` },
      new Date(),
    );
    return id;
  };
  const subjectFor = (id: string) =>
    h.servers.smtp.messages.find((m) => m.to.includes(`${id}@example.test`))?.subject;

  it('runs in flight keep their version; activation, pause and retirement apply to new entries', async () => {
    const v1 = cartPlaybook();
    const v2 = {
      ...v1,
      version: v1.version + 1,
      templates: { reminder: { ...v1.templates.reminder, subject: 'Still thinking it over?' } },
    };
    const client = h.clientWith(new StoredPlaybooks(store, 0));

    const first = await publishVersion(store, v1, new Date());
    assert.equal(first.created, true);
    assert.equal((await publishVersion(store, v1, new Date())).created, false, 'publishing is idempotent');
    assert.deepEqual(
      (await client.publishEvent(cartUpdated(await customer()))).deliveredTo,
      [],
      'a draft has no entries',
    );

    await activate(store, v1.id, new Date());
    const early = await customer();
    await client.publishEvent(cartUpdated(early));

    const second = await publishVersion(store, v2, new Date());
    assert.notEqual(second.hash, first.hash);
    await activate(store, v2.id, new Date());
    const late = await customer();
    await client.publishEvent(cartUpdated(late));

    for (const id of [early, late]) await h.env.client.workflow.getHandle(journeyId(v1.id, id)).result();
    assert.equal(subjectFor(early), 'Ada, your cart is waiting', 'the early run kept v1');
    assert.equal(subjectFor(late), 'Still thinking it over?', 'the new entry used v2');
    const entry = await h.servers.collections.entries.findOne({ customerId: late });
    assert.equal(entry?.playbookLabel, `v${v2.version}@${second.hash.slice(0, 12)}`);

    await setStatus(store, v1.id, 'paused', new Date());
    const paused = await customer();
    assert.deepEqual((await client.publishEvent(cartUpdated(paused))).deliveredTo, []);
    await activate(store, v1.id, new Date(), { hashPrefix: first.hash.slice(0, 8) });
    const back = await customer();
    assert.deepEqual((await client.publishEvent(cartUpdated(back))).deliveredTo, [journeyId(v1.id, back)]);
    assert.equal(
      ((await h.env.client.workflow.getHandle(journeyId(v1.id, back)).result()) as JourneyResult).outcome
        .status,
      'completed',
    );
    assert.equal(subjectFor(back), 'Ada, your cart is waiting', 'reactivating an older hash brings it back');

    await setStatus(store, v1.id, 'retired', new Date());
    assert.deepEqual((await client.publishEvent(cartUpdated(await customer()))).deliveredTo, []);
    const [state] = (await listStates(store)).filter((s) => s._id === v1.id);
    assert.equal(state?.status, 'retired');
    assert.deepEqual(
      state?.log.map((l) => l.action),
      ['publish', 'activate', 'publish', 'activate', 'pause', 'activate', 'retire'],
    );
  });

  it('journeys playbooks publish stores the valid files and reports the invalid ones', async () => {
    const dir = tempDir('journeys-publish');
    try {
      const good = { ...cartPlaybook(), id: 'cli-published' };
      writeFileSync(join(dir.path, 'good.json'), JSON.stringify(good));
      writeFileSync(
        join(dir.path, 'bad.json'),
        JSON.stringify({ ...good, id: 'cli-bad', maxDuration: 'forever' }),
      );
      const out: string[] = [];
      const saved = { uri: process.env.MONGODB_URI, db: process.env.MONGODB_DB };
      process.env.MONGODB_URI = h.servers.mongodbUri;
      process.env.MONGODB_DB = h.servers.db.databaseName;
      let code: number;
      try {
        code = await runCli(['playbooks', 'publish', dir.path], {
          out: (l) => out.push(l),
          err: (l) => out.push(l),
        });
      } finally {
        if (saved.uri === undefined) delete process.env.MONGODB_URI;
        else process.env.MONGODB_URI = saved.uri;
        if (saved.db === undefined) delete process.env.MONGODB_DB;
        else process.env.MONGODB_DB = saved.db;
      }
      assert.equal(code, 1);
      assert.match(out.join('\n'), /bad\.json: maxDuration: /);
      assert.match(out.join('\n'), /cli-published v\d+ [0-9a-f]{12} published/);
      assert.equal(await store.versions.countDocuments({ playbookId: 'cli-published' }), 1);
      assert.equal(await store.versions.countDocuments({ playbookId: 'cli-bad' }), 0);
    } finally {
      dir.remove();
    }
  });
});
