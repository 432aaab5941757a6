import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { createRecordDecisions } from '../activities/recordDecisions';
import { journeyId } from '../engine/ids/journeyKeys';
import { fixedHoldout } from '../router/holdoutSource';
import { JourneyClient } from '../router/journeyClient';
import type { Collections } from '../store/collections';
import { CounterWriter, playbookCounts, type PlaybookCounts } from '../store/consoleCounts';
import type { DecisionRecord } from '../store/decisions';
import { upsertProfile } from '../store/profiles';
import { findRunSummary } from '../store/runSummaries';
import type { JourneyResult } from '../workflows/journey';
import { cartUpdated, orderPlaced, uniqueId } from './support/events';
import { shippedPlaybook } from './support/shippedPlaybooks';
import { startTimeSkippingHarness, TEST_HOLDOUT, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * Run summaries on the real servers (Temporal's time-skipping server, a real worker, FerretDB or
 * MONGODB_URI): the console counts the recordDecisions activity keeps equal what the decisions and
 * deliveries collections hold, and the router signals no run that has recorded its end.
 */

const CART = 'cart-abandonment';

/** The counts, worked out from the decision records alone, the long way round. */
function countsFromDecisions(records: readonly DecisionRecord[]): Omit<PlaybookCounts, 'playbookId'> {
  const runs = new Map<string, DecisionRecord[]>();
  for (const record of records) {
    const key = `${record.journeyId} ${record.entryEventId}`;
    runs.set(
      key,
      [...(runs.get(key) ?? []), record].sort((a, b) => a.seq - b.seq),
    );
  }
  const ended: Record<string, number> = {};
  const steps = new Map<string, { step: string; at: number; passed: number }>();
  const stepOf = (step: string) => steps.get(step) ?? steps.set(step, { step, at: 0, passed: 0 }).get(step)!;
  for (const log of runs.values()) {
    for (const step of new Set(log.flatMap((d) => (d.step !== null && d.action !== 'exit' ? [d.step] : []))))
      stepOf(step).passed += 1;
    const exit = log.find((d) => d.action === 'exit');
    if (exit) ended[exit.reason ?? ''] = (ended[exit.reason ?? ''] ?? 0) + 1;
    else stepOf([...log].reverse().find((d) => d.step !== null)?.step ?? '(entered)').at += 1;
  }
  const days = new Map<string, PlaybookCounts['days'][number]>();
  for (const d of records) {
    const day = d.at.slice(0, 10);
    const row = days.get(day) ?? { day, sends: {}, suppressions: {}, holdouts: {}, defers: {} };
    days.set(day, row);
    const bump = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
    if (d.action === 'send') bump(row.sends, d.channel ?? '-');
    if (d.action === 'holdout') bump(row.holdouts, d.channel ?? '-');
    if (d.action === 'suppress') bump(row.suppressions, d.reason ?? '-');
    if (d.action === 'defer') bump(row.defers, d.reason ?? '-');
  }
  return {
    entered: [...runs.values()].filter((log) => log.some((d) => d.action === 'enter')).length,
    ended,
    steps: [...steps.values()],
    days: [...days.values()]
      .sort((a, b) => (a.day < b.day ? -1 : 1))
      .filter(
        (row) =>
          Object.keys({ ...row.sends, ...row.suppressions, ...row.holdouts, ...row.defers }).length > 0,
      ),
  };
}

const bySteps = (counts: Pick<PlaybookCounts, 'steps'>) =>
  [...counts.steps].sort((a, b) => (a.step < b.step ? -1 : a.step > b.step ? 1 : 0));

describe('run summaries and console counts on the time-skipping server', () => {
  let h: TimeSkippingHarness;
  let cols: Collections;
  const counters = () => ({ shards: cols.counterShards, writers: cols.counterWriters });
  before(async () => {
    h = await startTimeSkippingHarness('run-summaries');
    cols = h.servers.collections;
  });
  after(async () => {
    await h?.close();
  });

  /** A customer of the cart playbook, with an email unless `reachable` is false. */
  async function customer(prefix: string, reachable = true): Promise<string> {
    const id = uniqueId(prefix);
    const fields = reachable ? { email: `${id}@example.test`, firstName: 'Ada' } : { firstName: 'Ada' };
    await upsertProfile(cols.profiles, id, fields, new Date());
    return id;
  }
  const result = (run: string) => h.env.client.workflow.getHandle(run).result() as Promise<JourneyResult>;

  it("counts a shipped playbook's runs as its decisions and deliveries hold them", async () => {
    const treated = h.clientWith(shippedPlaybook(CART, 0));
    const held = h.clientWith(shippedPlaybook(CART, 1));
    const [sent, ordered, unreachable, control] = await Promise.all([
      customer('sent'),
      customer('ordered'),
      customer('unreachable', false),
      customer('control'),
    ]);
    for (const id of [sent, ordered, unreachable]) await treated.publishEvent(cartUpdated(id));
    await held.publishEvent(cartUpdated(control));
    await treated.publishEvent(orderPlaced(ordered));
    const outcomes: JourneyResult[] = [];
    for (const id of [sent, ordered, unreachable, control]) {
      outcomes.push(await result(journeyId(CART, id)));
    }
    assert.deepEqual(
      outcomes.map((o) => o.outcome.status),
      ['completed', 'exited', 'completed', 'completed'],
    );

    const records = await cols.decisions.find({ playbookId: CART }).toArray();
    const expected = countsFromDecisions(records);
    const times = records.map((d) => Date.parse(d.at));
    const period = { from: new Date(Math.min(...times)), to: new Date(Math.max(...times)) };
    const counts = await playbookCounts(counters(), CART, period);
    assert.equal(counts.entered, 4);
    assert.deepEqual(counts.ended, expected.ended);
    assert.deepEqual(bySteps(counts), bySteps(expected));
    assert.deepEqual(counts.days, expected.days);
    // The deliveries say the same: one email sent, one suppressed for want of a contact, one held out.
    const deliveries = await cols.deliveries.find({ playbookId: CART }).toArray();
    type Tally = 'sends' | 'suppressions' | 'holdouts' | 'defers';
    const total = (field: Tally): number =>
      counts.days.reduce((sum, row) => sum + Object.values(row[field]).reduce((a, b) => a + b, 0), 0);
    assert.equal(total('sends'), deliveries.filter((d) => d.status === 'sent').length);
    assert.equal(total('sends'), 1);
    assert.equal(
      total('suppressions') + total('holdouts'),
      deliveries.filter((d) => d.status === 'suppressed').length,
    );
    assert.equal(total('holdouts'), 1);

    // A batch recorded again, by another worker process (a retried activity), counts nothing twice.
    const run = journeyId(CART, sent);
    const again = records.filter((d) => d.journeyId === run).sort((a, b) => a.seq - b.seq);
    const retry = createRecordDecisions({
      decisions: cols.decisions,
      runSummaries: cols.runSummaries,
      runCountMarkers: cols.runCountMarkers,
      counters: new CounterWriter(counters()),
    });
    await retry({
      journeyId: run,
      entryEventId: again[0]!.entryEventId,
      playbookVersion: again[0]!.playbookVersion,
      firstSeq: 0,
      decisions: again.map(
        ({ _id, journeyId: _j, entryEventId: _e, seq: _s, playbookVersion: _v, recordedAt: _r, ...d }) => d,
      ),
    });
    assert.deepEqual(await playbookCounts(counters(), CART, period), counts);
  });

  it('an event for a run that recorded its end reaches Temporal no more', async () => {
    // Journey runs only: an order also (re)arms its customer's lapse timer, another workflow.
    const calls: string[] = [];
    const note = (call: string, id: string) =>
      void (id.startsWith('journey:') && calls.push(`${call} ${id}`));
    const counting: WorkflowClientInterceptor = {
      signal: (input, next) => (note('signal', input.workflowExecution.workflowId), next(input)),
      signalWithStart: (input, next) => (note('start', input.options.workflowId), next(input)),
    };
    const temporal = new Client({
      connection: h.env.connection,
      namespace: h.env.namespace ?? 'default',
      interceptors: { workflow: [counting] },
    });
    const client = new JourneyClient({
      temporal,
      collections: cols,
      taskQueue: h.taskQueue,
      playbooks: [shippedPlaybook(CART, 0)],
      holdout: fixedHoldout(TEST_HOLDOUT),
      occurredAtWindow: 'unchecked',
    });
    const ended = await customer('ended');
    const run = journeyId(CART, ended);
    await client.publishEvent(cartUpdated(ended));
    await client.publishEvent(orderPlaced(ended));
    assert.equal((await result(run)).outcome.status, 'exited');
    const entry = await cols.entryHeads.findOne({ journeyId: run });
    assert.equal(
      (await findRunSummary(cols.runSummaries, run, entry!.entryEventId))?.outcome,
      'goal:order.placed',
    );
    calls.length = 0;

    // Another order: the goal of a run that is over, and no trigger. Nothing to signal.
    assert.deepEqual((await client.publishEvent(orderPlaced(ended))).deliveredTo, []);
    // An order from someone who never entered: no run either.
    assert.deepEqual((await client.publishEvent(orderPlaced(await customer('never')))).deliveredTo, []);
    assert.deepEqual(calls, []);

    // A new cart starts a new run (re-entry after exit): one start, no signal to the old run.
    assert.deepEqual((await client.publishEvent(cartUpdated(ended))).deliveredTo, [run]);
    assert.deepEqual(calls, [`start ${run}`]);
    // That run is live: its goal is signalled to it.
    calls.length = 0;
    assert.deepEqual((await client.publishEvent(orderPlaced(ended))).deliveredTo, [run]);
    assert.deepEqual(calls, [`signal ${run}`]);
    assert.equal((await result(run)).outcome.status, 'exited');
  });
});
