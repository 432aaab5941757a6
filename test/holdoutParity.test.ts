import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Arm, HoldoutScheme } from '../engine/measurement/holdout';
import { decideEntry } from '../engine/interpreter/entry';
import type { JourneyEvent } from '../schemas/events/schema';
import { simulate } from '../simulator/simulate';
import { armsOf, oneSendPlaybook, profileEvent, triggerEvent } from './support/holdouts';

/*
 * The simulator assigns exactly the arms the live entry rule (`decideEntry`, which the client runs
 * before starting a workflow) assigns, over the acceptance population of 100,000 customers. The
 * same comparison against real workflows on the real servers is in holdout.timeSkipping.test.ts.
 */

describe('holdout arms: the simulator and the entry rule agree', () => {
  const scheme: HoldoutScheme = { epoch: 3, salt: 'parity-salt', globalControlPercent: 5 };
  const playbooks = [oneSendPlaybook('hold-10', 0.1), oneSendPlaybook('hold-25', 0.25)];
  const customers = Array.from({ length: 100_000 }, (_, i) => `cust-${i}`);
  const T0 = Date.parse('2026-05-01T09:00:00Z');

  it('over 100,000 customers, on two playbooks, with the global control left out of both', () => {
    const profileAt = new Date(T0).toISOString();
    const triggerAt = new Date(T0 + 60_000).toISOString();
    const events: JourneyEvent[] = [];
    const expected = new Map<string, Arm>();
    let excluded = 0;
    for (const id of customers) {
      const trigger = triggerEvent(id, triggerAt, `cart-${id}`);
      events.push(profileEvent(id, profileAt, `profile-${id}`), trigger);
      const profile = { customerId: id, email: `${id}@example.test` };
      for (const playbook of playbooks) {
        const decision = decideEntry(playbook, trigger, id, profile, undefined, T0 + 60_000, scheme);
        if (decision.enter) expected.set(`${playbook.id} ${id}`, decision.arm);
        else if (decision.reason === 'global-control') excluded += 1;
        else assert.fail(`${id} refused by ${decision.reason}`);
      }
    }

    const result = simulate(events, { playbooks, holdout: scheme });
    const simulated = armsOf(result.decisions);

    // Same customers, same arms; and the global control's customers have no run at all.
    assert.equal(simulated.size, expected.size);
    assert.deepEqual([...simulated].sort(), [...expected].sort());
    const entered = new Set(result.decisions.filter((d) => d.action === 'enter').map((d) => d.customerId));
    assert.equal(customers.length - entered.size, excluded / playbooks.length);
    // And the sizes are the configured ones, as holdout.test.ts checks for the rule itself.
    const eligible = entered.size;
    assert.ok(Math.abs(((customers.length - eligible) / customers.length) * 100 - 5) <= 0.5);
    for (const [playbook, percent] of [
      ['hold-10', 10],
      ['hold-25', 25],
    ] as const) {
      const control = [...simulated].filter(
        ([key, arm]) => key.startsWith(`${playbook} `) && arm === 'control',
      );
      const share = (control.length / eligible) * 100;
      assert.ok(Math.abs(share - percent) <= 0.5, `${playbook}: ${share.toFixed(3)}% control`);
    }
  });
});
