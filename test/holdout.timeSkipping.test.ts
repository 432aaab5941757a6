import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { customerInArm, customerInGlobalControl } from '../tools/devstack/sampleCustomers';
import { inGlobalControl, type HoldoutScheme } from '../engine/measurement/holdout';
import { journeyId } from '../engine/interpreter/entry';
import type { Decision } from '../engine/interpreter/types';
import type { JourneyEvent } from '../schemas/events/schema';
import type { Playbook } from '../schemas/playbook/schema';
import { simulate } from '../simulator/simulate';
import type { JourneyResult } from '../workflows/journey';
import { uniqueId } from './support/events';
import { armsOf, oneSendPlaybook, profileEvent, triggerEvent } from './support/holdouts';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * Holdouts on the real servers (Temporal's time-skipping test server, a real worker, FerretDB or
 * MONGODB_URI): the global control group enters nothing, and the arms the workflows run with are
 * the ones the simulator assigns to the same events.
 */
describe('holdout groups on the time-skipping test server', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('holdout');
  });
  after(async () => {
    await h?.close();
  });

  /** Whether Temporal has a run with this ID: describe() fails with WorkflowNotFoundError when not. */
  async function runExists(workflowId: string): Promise<boolean> {
    try {
      await h.env.client.workflow.getHandle(workflowId).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  async function liveDecisions(playbooks: readonly Playbook[], customerId: string): Promise<Decision[]> {
    const decisions: Decision[] = [];
    for (const playbook of playbooks) {
      const handle = h.env.client.workflow.getHandle(journeyId(playbook.id, customerId));
      decisions.push(...((await handle.result()) as JourneyResult).decisions);
    }
    return decisions;
  }

  it('a global-control customer enters no playbook, while a treatment customer beside them does', async () => {
    const scheme: HoldoutScheme = { epoch: 1, salt: 'global-salt', globalControlPercent: 5 };
    const playbooks = [oneSendPlaybook('gc-first', 0.1), oneSendPlaybook('gc-second', 0.25)];
    const tag = uniqueId('gc');
    const excluded = customerInGlobalControl(`${tag}-out`, scheme);
    const treated = customerInArm(`${tag}-in`, 'treatment', scheme, 'gc-first', 0.1);
    const client = h.clientWith(playbooks, undefined, scheme);
    const now = new Date().toISOString();

    const results = [];
    for (const id of [excluded, treated]) {
      await client.publishEvent(profileEvent(id, now, uniqueId(`profile-${id}`)));
      results.push(await client.publishEvent(triggerEvent(id, now, uniqueId(`cart-${id}`))));
    }
    const [outResult, inResult] = results;

    // The event itself is accepted and routed as any other; it just starts nothing.
    assert.equal(outResult?.status, 'accepted');
    assert.deepEqual(outResult?.deliveredTo, []);
    assert.deepEqual(await h.servers.collections.entries.find({ customerId: excluded }).toArray(), []);
    for (const playbook of playbooks) assert.equal(await runExists(journeyId(playbook.id, excluded)), false);
    const inbox = await h.servers.collections.events.findOne({ eventId: outResult?.eventId ?? '' });
    assert.equal(inbox?.status, 'routed');

    assert.deepEqual(inResult?.deliveredTo, [
      journeyId('gc-first', treated),
      journeyId('gc-second', treated),
    ]);
    const entries = await h.servers.collections.entries.find({ customerId: treated }).toArray();
    assert.deepEqual(entries.map((e) => [e.playbookId, e.holdoutEpoch]).sort(), [
      ['gc-first', 1],
      ['gc-second', 1],
    ]);
    assert.equal(entries.find((e) => e.playbookId === 'gc-first')?.arm, 'treatment');
    for (const playbook of playbooks) assert.equal(await runExists(journeyId(playbook.id, treated)), true);
    assert.equal(h.servers.smtp.messages.filter((m) => m.to.includes(`${excluded}@`)).length, 0);
  });

  it('60 customers: the workflows’ arms, and who is left out, are what the simulator decides', async () => {
    // A large global control and holdouts, so 60 customers cover every case.
    const scheme: HoldoutScheme = { epoch: 7, salt: uniqueId('live-parity'), globalControlPercent: 20 };
    const playbooks = [oneSendPlaybook('par-30', 0.3), oneSendPlaybook('par-50', 0.5)];
    const tag = uniqueId('par');
    const customers = Array.from({ length: 60 }, (_, i) => `${tag}-${i}`);
    const now = new Date().toISOString();
    const events: JourneyEvent[] = customers.flatMap((id) => [
      profileEvent(id, now, `${tag}-profile-${id}`),
      triggerEvent(id, now, `${tag}-cart-${id}`),
    ]);

    const client = h.clientWith(playbooks, undefined, scheme);
    for (const event of events) await client.publishEvent(event);
    const offline = armsOf(simulate(events, { playbooks, holdout: scheme }).decisions);

    const entries = await h.servers.collections.entries.find({ customerId: { $in: customers } }).toArray();
    const recorded = new Map(entries.map((e) => [`${e.playbookId} ${e.customerId}`, e.arm]));
    assert.deepEqual([...recorded].sort(), [...offline].sort());
    assert.ok(entries.every((e) => e.holdoutEpoch === 7));

    const entered = customers.filter((id) => !inGlobalControl(id, scheme));
    // One result at a time: many concurrent long polls can stall the time-skipping server.
    const liveLists: Decision[][] = [];
    for (const id of entered) liveLists.push(await liveDecisions(playbooks, id));
    const live = armsOf(liveLists.flat());
    assert.deepEqual([...live].sort(), [...offline].sort());

    const left = customers.filter((id) => inGlobalControl(id, scheme));
    for (const id of left)
      for (const playbook of playbooks) assert.equal(await runExists(journeyId(playbook.id, id)), false);
    // The scenario covers all three cases: left out, held out, treated.
    const arms = [...offline.values()];
    assert.ok(left.length > 0 && arms.includes('control') && arms.includes('treatment'));
    assert.equal(offline.size, entered.length * playbooks.length);
  });
});
