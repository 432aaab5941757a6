import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assignArm, type Arm } from '../engine/measurement/holdout';
import { journeyId } from '../engine/interpreter/entry';
import type { Decision } from '../engine/interpreter/types';
import type { JourneyEvent } from '../schemas/events/schema';
import { withWaits } from '../tools/devstack/fastPlaybooks';
import { loadPolicy } from '../schemas/policy/load';
import { simulate } from '../simulator/simulate';
import type { JourneyResult } from '../workflows/journey';
import { CAP, TEE, cartUpdated, customerEvent, orderPlaced, uniqueId } from './support/events';
import {
  cartPlaybook,
  startTimeSkippingHarness,
  TEST_HOLDOUT,
  type TimeSkippingHarness,
} from './support/timeSkipping';

const MINUTE = 60_000;

/** What both engines must agree on: who, which step, what, on which channel, why, and when after entry. */
function comparable(decisions: readonly Decision[]): string[] {
  const entered = new Map<string, number>();
  return decisions.map((d) => {
    const at = Date.parse(d.at);
    if (d.action === 'enter') entered.set(d.customerId, at);
    const since = (t: number) => `+${Math.round((t - (entered.get(d.customerId) ?? at)) / MINUTE)}m`;
    // Times inside reasons (`arbitration until …`) are compared as offsets too: the workflow's clock
    // moves a few milliseconds with each activity, the simulator's does not.
    const reason = d.reason?.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, (iso) => since(Date.parse(iso)));
    return [d.customerId, d.playbookId, d.step, d.action, d.channel ?? '-', reason ?? '-', since(at)].join(
      ' ',
    );
  });
}

describe('the simulator and the Temporal workflow make the same decisions', () => {
  let h: TimeSkippingHarness;
  before(async () => {
    h = await startTimeSkippingHarness('parity');
  });
  after(async () => {
    await h?.close();
  });

  it('on one scenario of five customers', async () => {
    const playbook = cartPlaybook({ holdout: 0.5 });
    // A second playbook on the same trigger, an hour later: the contact policy caps it in both engines.
    const twin = withWaits({ ...playbook, id: 'cart-twin' }, '2h');
    const policy = { ...loadPolicy(), quietHours: [] }; // quiet hours would make the result depend on the hour
    const tag = uniqueId('p');
    // Arms are drawn per playbook: pick customers whose arm in each of the two is the one wanted.
    const inArms = (name: string, arms: readonly [Arm, Arm]): string => {
      for (let n = 1; ; n++) {
        const id = `${tag}-${name}-${n}`;
        const drawn = [playbook, twin].map((p) => assignArm(id, p.id, p.holdout, TEST_HOLDOUT));
        if (drawn[0] === arms[0] && drawn[1] === arms[1]) return id;
      }
    };
    const treated = (name: string) => inArms(name, ['treatment', 'treatment']);
    const [ada, bob, dan, fay] = ['ada', 'bob', 'dan', 'fay'].map(treated) as [
      string,
      string,
      string,
      string,
    ];
    const carol = inArms('carol', ['control', 'control']);
    const profile = (id: string, data: { email?: string; phone?: string }) =>
      customerEvent('customer.upserted', id, { firstName: 'Test', ...data });

    // [minutes after the start, event]
    const script: [number, JourneyEvent][] = [
      [0, profile(ada, { email: `${ada}@example.test` })],
      [0, profile(bob, { email: `${bob}@example.test` })],
      [0, profile(carol, { email: `${carol}@example.test` })],
      [0, profile(dan, { phone: '+15550001111' })],
      [0, profile(fay, { email: `${fay}@example.test` })],
      [1, cartUpdated(ada)],
      [1, cartUpdated(bob)],
      [1, cartUpdated(carol)],
      [1, cartUpdated(dan, { items: [CAP] })],
      [1, cartUpdated(fay, { items: [TEE] })],
      [21, orderPlaced(bob)],
      [51, cartUpdated(fay, { items: [TEE, CAP] })],
    ];

    // Live: publish each event at its moment on the time-skipping server.
    const client = h.clientWith([playbook, twin], policy);
    const start = Date.now();
    let elapsed = 0;
    const timed: JourneyEvent[] = [];
    for (const [minute, event] of script) {
      if (minute * MINUTE > elapsed) {
        await h.env.sleep(minute * MINUTE - elapsed);
        elapsed = minute * MINUTE;
      }
      await client.publishEvent(event);
      timed.push({ ...event, occurredAt: new Date(start + minute * MINUTE).toISOString() });
    }
    const live: Decision[] = [];
    for (const id of [ada, bob, carol, dan, fay]) {
      for (const pb of [playbook, twin]) {
        const run = h.env.client.workflow.getHandle(journeyId(pb.id, id));
        live.push(...((await run.result()) as JourneyResult).decisions);
      }
    }

    // Offline: the same events, with their moments as occurredAt, through the simulator.
    const offline = simulate(timed, {
      playbooks: [playbook, twin],
      holdout: TEST_HOLDOUT,
      policy,
    }).decisions;

    const byCustomer = (lines: string[]) => [...lines].sort();
    assert.deepEqual(byCustomer(comparable(live)), byCustomer(comparable(offline)));
    // And the scenario exercised every path: a send, a goal exit, a holdout, SMS, and a restarted wait.
    const lines = comparable(offline).join('\n');
    assert.match(lines, new RegExp(`${ada} cart-abandonment reminder send email - \\+65m`));
    assert.match(lines, new RegExp(`${bob} cart-abandonment wait exit - goal:order.placed \\+20m`));
    assert.match(lines, new RegExp(`${carol} cart-abandonment reminder holdout email holdout \\+60m`));
    assert.match(lines, new RegExp(`${dan} cart-abandonment reminder send sms - \\+65m`));
    assert.match(lines, new RegExp(`${fay} cart-abandonment reminder send email - \\+115m`));
    assert.match(lines, new RegExp(`${ada} cart-twin reminder suppress email cap:email ≤ 1 per day \\+125m`));
    assert.match(lines, new RegExp(`${dan} cart-twin reminder suppress sms cap:sms ≤ 1 per day \\+125m`));
  });
});
