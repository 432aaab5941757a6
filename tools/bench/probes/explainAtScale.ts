import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { decisionRecordId, type DecisionRecord } from '../../../store/decisions';
import {
  collections,
  ensureIndexes,
  type DeliveryRecord,
  type EntryRecord,
  type EntryRunsRecord,
} from '../../../store/collections';
import { customerHistory } from '../../../store/customerHistory';
import { entryRunsId } from '../../../store/entryRuns';
import { runSummaryId, type RunSummaryRecord } from '../../../store/runSummaries';
import { startFerretDb } from '../../devstack/ferretdb';
import { freePort } from '../../devstack/net';

/*
 * `journeys explain` over a large store, on the embedded default (FerretDB 1.24 on SQLite) or
 * MONGODB_URI: seeds `customers` customers' runs (entries, entry lists, run summaries, decisions,
 * deliveries) with insertMany, then times the explain read of one of them two ways: the eight
 * customerId queries explain made before issue 16, and customerHistory's point reads by `_id`.
 *
 *   node --import tsx tools/bench/probes/explainAtScale.ts [customers=20000]
 *
 * Each customer gets RUNS runs of one playbook with DECISIONS decisions and one delivery each.
 */

const RUNS = 2;
const DECISIONS = 5;
const BATCH = 5000;
const PLAYBOOKS = ['cart-abandonment', 'browse-abandonment', 'post-purchase-offers'];

async function main(): Promise<void> {
  const customers = Number(process.argv[2] ?? 20_000);
  const dir = mkdtempSync(join(tmpdir(), 'explain-scale-'));
  const ferret = process.env.MONGODB_URI
    ? undefined
    : await startFerretDb({ dataDir: dir, port: await freePort() });
  const mongo = await MongoClient.connect(process.env.MONGODB_URI || ferret!.uri);
  try {
    const db = mongo.db(`explain_scale_${Date.now()}`);
    await ensureIndexes(db);
    const cols = collections(db);
    const at = Date.parse('2026-11-01T00:00:00Z');
    let entries: EntryRecord[] = [];
    let decisions: DecisionRecord[] = [];
    let deliveries: DeliveryRecord[] = [];
    let summaries: RunSummaryRecord[] = [];
    let lists: EntryRunsRecord[] = [];
    const flush = async (force = false) => {
      if (force || decisions.length >= BATCH) {
        if (entries.length) await cols.entries.insertMany(entries);
        if (decisions.length) await cols.decisions.insertMany(decisions);
        if (deliveries.length) await cols.deliveries.insertMany(deliveries);
        if (summaries.length) await cols.runSummaries.insertMany(summaries);
        if (lists.length) await cols.entryRuns.insertMany(lists);
        summaries = [];
        lists = [];
        entries = [];
        decisions = [];
        deliveries = [];
      }
    };
    const started = Date.now();
    for (let c = 0; c < customers; c++) {
      const customerId = `c-${c}`;
      const playbookId = PLAYBOOKS[c % PLAYBOOKS.length]!;
      const journeyId = `journey:${playbookId}:${customerId}`;
      const runs: EntryRecord[] = [];
      for (let r = 0; r < RUNS; r++) {
        const entryEventId = `e-${c}-${r}`;
        const enteredAt = new Date(at + c * 1000 + r * 86_400_000);
        const entry: EntryRecord = {
          journeyId,
          playbookId,
          playbookVersion: 1,
          playbookLabel: 'v1@000000000000',
          customerId,
          entryEventId,
          arm: 'treatment',
          enteredAt,
        };
        entries.push(entry);
        runs.push(entry);
        for (let seq = 0; seq < DECISIONS; seq++) {
          decisions.push({
            _id: decisionRecordId(journeyId, entryEventId, seq),
            at: new Date(enteredAt.getTime() + seq * 60_000).toISOString(),
            customerId,
            playbookId,
            step: seq === 0 ? null : seq === 1 ? 'reminder' : 'wait',
            action: seq === 0 ? 'enter' : seq === 1 ? 'send' : seq === DECISIONS - 1 ? 'exit' : 'defer',
            channel: 'email',
            journeyId,
            entryEventId,
            seq,
            playbookVersion: 1,
            recordedAt: enteredAt,
          });
        }
        const key = `${playbookId}:${customerId}:${entryEventId}:reminder`;
        deliveries.push({
          _id: key,
          idempotencyKey: key,
          customerId,
          playbookId,
          playbookVersion: 1,
          journeyId,
          entryEventId,
          step: 'reminder',
          arm: 'treatment',
          status: 'sent',
          channel: 'email',
          attempts: 1,
          createdAt: enteredAt,
          updatedAt: enteredAt,
        });
        summaries.push({
          _id: runSummaryId(journeyId, entryEventId),
          journeyId,
          entryEventId,
          playbookId,
          customerId,
          decisions: DECISIONS,
          step: null,
          passed: ['reminder', 'wait'],
          outcome: 'completed',
          updatedAt: enteredAt,
        });
      }
      lists.push({
        _id: entryRunsId(playbookId, customerId),
        runs: runs.map(({ playbookId: _p, customerId: _c, ...run }) => run),
      });
      await flush();
    }
    await flush(true);
    const stored = customers * RUNS * (2 + DECISIONS + 1) + customers;
    console.log(
      `seeded ${stored} documents (${customers} customers) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );

    const customerId = `c-${Math.floor(customers / 2)}`;
    const time = async (label: string, times: number, read: () => Promise<unknown>) => {
      const ms: number[] = [];
      for (let i = 0; i < times; i++) {
        const t = performance.now();
        await read();
        ms.push(performance.now() - t);
      }
      console.log(`${label}: ${ms.map((m) => m.toFixed(0)).join(', ')} ms`);
    };
    await time('before (8 queries by customerId)', 1, () =>
      Promise.all([
        cols.entries.find({ customerId }).sort({ enteredAt: -1 }).limit(100).toArray(),
        cols.decisions.find({ customerId }).sort({ at: -1, seq: -1 }).limit(100).toArray(),
        cols.deliveries.find({ customerId }).sort({ createdAt: -1 }).limit(100).toArray(),
        cols.offerGrants.find({ customerId }).sort({ decidedAt: -1 }).limit(100).toArray(),
        cols.entries.countDocuments({ customerId }),
        cols.decisions.countDocuments({ customerId }),
        cols.deliveries.countDocuments({ customerId }),
        cols.offerGrants.countDocuments({ customerId }),
      ]),
    );
    await time('after (point reads by _id)', 5, async () => {
      const history = await customerHistory(cols, PLAYBOOKS, customerId, 100);
      if (history.totals.decisions !== RUNS * DECISIONS) throw new Error(JSON.stringify(history.totals));
    });
  } finally {
    await mongo.close();
    await ferret?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
