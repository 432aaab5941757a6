import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { saltFingerprint } from '../cli/holdoutsCommand';
import { StoredHoldoutScheme } from '../router/holdoutSource';
import { loadHoldoutConfig } from '../schemas/env';
import { assignArm, inGlobalControl, type HoldoutScheme } from '../engine/measurement/holdout';
import { currentScheme, reshuffle, ReshuffleError, schemeHistory, toScheme } from '../store/holdouts';
import { collections } from '../store/collections';
import { uniqueId } from './support/events';
import { oneSendPlaybook, triggerEvent } from './support/holdouts';
import { runCli } from './support/cli';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * `journeys holdouts show` and `reshuffle` as a user runs them, against the real MongoDB-wire
 * server, and a client on the real Temporal test server that picks the new scheme up. The CLI runs
 * in its own process with this process's environment, so HOLDOUT_* bootstrap both the same way.
 */
describe('holdout schemes', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('holdouts');
  });
  after(async () => {
    await h?.close();
  });

  describe('journeys holdouts', () => {
    const bootstrap = loadHoldoutConfig();
    const holdouts = (...args: string[]) =>
      runCli(['holdouts', ...args], { uri: h.servers.mongodbUri, db: h.servers.db.databaseName });

    it('show bootstraps epoch 1; reshuffle records epoch 2, which the next entries record', async () => {
      const shown = await holdouts('show');
      assert.equal(shown.code, 0, shown.stderr);
      const first = `epoch 1 (salt ${saltFingerprint(bootstrap.salt)}, global control ${bootstrap.globalControlPercent}%)`;
      assert.equal(shown.out[0], `current: ${first}`);
      assert.match(
        shown.out[2] ?? '',
        /^1 +[0-9a-f]{8} {2}\d+(\.\d+)?% +\d{4}-\d\d-\d\dT\S+Z {2}bootstrap {2}initial scheme$/,
      );
      assert.equal((await holdouts('show')).out.length, 3, 'showing again records nothing');

      // A client with the default 5 s cache, on a clock the test moves.
      let clock = Date.now();
      const source = new StoredHoldoutScheme(
        h.servers.collections.holdoutSchemes,
        bootstrap,
        5_000,
        () => clock,
      );
      const playbook = oneSendPlaybook('cli-holdouts', 0.5);
      const client = h.clientWith(playbook, undefined, source);
      const epoch1 = toScheme((await h.servers.collections.holdoutSchemes.findOne({ _id: 1 }))!);
      const enter = async (id: string) => {
        await client.publishEvent(triggerEvent(id, new Date().toISOString(), uniqueId(`cart-${id}`)));
        return h.servers.collections.entries.findOne({ customerId: id });
      };
      const tag = uniqueId('cli');
      /** A customer outside the global control of every given scheme, so they enter under any. */
      const entering = (name: string, schemes: HoldoutScheme[]) => {
        for (let n = 1; ; n++) {
          const id = `${tag}-${name}-${n}`;
          if (schemes.every((s) => !inGlobalControl(id, s))) return id;
        }
      };
      assert.equal((await enter(entering('before', [epoch1])))?.holdoutEpoch, 1);

      const reshuffled = await holdouts('reshuffle', '--reason', 'new quarter', '--by', 'crm-lead');
      assert.equal(reshuffled.code, 0, reshuffled.stderr);
      const epoch2 = toScheme((await h.servers.collections.holdoutSchemes.findOne({ _id: 2 }))!);
      assert.match(epoch2.salt, /^[0-9a-f]{32}$/);
      assert.notEqual(epoch2.salt, epoch1.salt);
      assert.equal(epoch2.globalControlPercent, epoch1.globalControlPercent);
      assert.equal(
        reshuffled.out[0],
        `reshuffled: epoch 2 (salt ${saltFingerprint(epoch2.salt)}, global control ${epoch2.globalControlPercent}%) replaces ${first}`,
      );

      // Within the cache time the client still assigns with epoch 1; after it, with epoch 2.
      assert.equal((await enter(entering('cached', [epoch1, epoch2])))?.holdoutEpoch, 1);
      clock += 5_000;
      const after = entering('after', [epoch1, epoch2]);
      const entry = await enter(after);
      assert.equal(entry?.holdoutEpoch, 2);
      assert.equal(entry?.arm, assignArm(after, playbook.id, playbook.holdout, epoch2));

      const history = await holdouts('show');
      assert.equal(
        history.out[0],
        `current: epoch 2 (salt ${saltFingerprint(epoch2.salt)}, global control ${epoch2.globalControlPercent}%)`,
      );
      assert.match(history.out[3] ?? '', /^2 +[0-9a-f]{8} .* {2}crm-lead +new quarter$/);
      const json = JSON.parse((await holdouts('show', '--json')).stdout) as { epoch: number; salt: string }[];
      assert.deepEqual(
        json.map((s) => [s.epoch, s.salt]),
        [
          [1, epoch1.salt],
          [2, epoch2.salt],
        ],
      );
    });

    it('reshuffle refuses to run without --reason, or with a share that is not a percentage', async () => {
      for (const args of [
        ['--by', 'someone'],
        ['--reason', '  '],
      ]) {
        const refused = await holdouts('reshuffle', ...args);
        assert.equal(refused.code, 2);
        assert.match(refused.err[0] ?? '', /^--reason is required/);
      }
      const bad = await holdouts('reshuffle', '--reason', 'x', '--global-control', '150');
      assert.equal(bad.code, 2);
      assert.match(bad.err[0] ?? '', /--global-control: "150" is not a percentage from 0 to 100/);
      const before = await schemeHistory(h.servers.collections.holdoutSchemes);

      const resized = await holdouts(
        'reshuffle',
        '--reason',
        'smaller global control',
        '--global-control',
        '2.5',
      );
      assert.equal(resized.code, 0, resized.stderr);
      const latest = (await schemeHistory(h.servers.collections.holdoutSchemes)).at(-1);
      assert.equal(latest?._id, before.length + 1);
      assert.equal(latest?.globalControlPercent, 2.5);
    });
  });

  describe('in MongoDB', () => {
    const fresh = () =>
      collections(h.servers.db.client.db(`${h.servers.db.databaseName}_${uniqueId('s')}`)).holdoutSchemes;

    it('processes bootstrapping at once all end with the same epoch 1', async () => {
      const schemes = fresh();
      const all = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          currentScheme(schemes, { salt: `salt-${i}`, globalControlPercent: 5 }),
        ),
      );
      assert.equal(new Set(all.map((s) => JSON.stringify(s))).size, 1);
      assert.equal(all[0]?.epoch, 1);
      assert.equal(await schemes.countDocuments(), 1);
    });

    it('concurrent reshuffles never share an epoch; a loser is told so and changes nothing', async () => {
      const schemes = fresh();
      await currentScheme(schemes, { salt: 'start', globalControlPercent: 5 });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => reshuffle(schemes, { reason: `race ${i}`, by: 'test' })),
      );
      const won = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.epoch] : []));
      const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      for (const error of lost) {
        assert.ok(error instanceof ReshuffleError);
        assert.match(
          error.message,
          /was recorded by another reshuffle at the same moment; nothing was changed/,
        );
      }
      assert.ok(won.length >= 1);
      const epochs = (await schemeHistory(schemes)).map((s) => s._id);
      assert.deepEqual(
        epochs,
        Array.from({ length: won.length + 1 }, (_, i) => i + 1),
      );
      assert.deepEqual([...won].sort(), epochs.slice(1));
    });

    it('a reshuffle needs a reason and a new salt', async () => {
      const schemes = fresh();
      await currentScheme(schemes, { salt: 'start', globalControlPercent: 5 });
      await assert.rejects(reshuffle(schemes, { reason: ' ', by: 'test' }), /needs a reason/);
      await assert.rejects(
        reshuffle(schemes, { reason: 'x', by: 'test', salt: 'start' }),
        /nothing would move/,
      );
      await assert.rejects(
        reshuffle(schemes, { reason: 'x', by: 'test', globalControlPercent: 101 }),
        /from 0 to 100/,
      );
      assert.equal(await schemes.countDocuments(), 1);
    });
  });
});
