import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { upgradePlaybook, upgradePlaybookInput } from '../engine/interpreter/upgradePlaybook';
import { assignArm, type HoldoutScheme } from '../engine/measurement/holdout';
import { loadPlaybooks } from '../schemas/playbook/load';
import { validatePlaybook } from '../schemas/playbook/validate';
import { toSchemaVersion1 } from './support/oldForm';
import { cartPlaybook } from './support/playbooks';

const SHIPPED = loadPlaybooks(join(__dirname, '..', 'playbooks'));

/** An author's file in the old form: what a parsed definition was written from, defaults and all. */
const asOldFile = (input: object): Record<string, unknown> => {
  const { schemaVersion: _old, ...file } = input as Record<string, unknown>;
  return file;
};

/*
 * Playbook schemaVersion 2 renamed three things (schemas/playbook/schemaV1.ts). Files, stored
 * versions and runs in flight in the old form keep working; a new-form file that uses an old name
 * is told the new one.
 */
describe('playbook forms: schemaVersion 1 is read as 2', () => {
  it('reads every shipped playbook written in the old form as the same definition', () => {
    assert.equal(SHIPPED.length, 15);
    for (const playbook of SHIPPED) {
      const old = toSchemaVersion1(playbook);
      // As a file (without schemaVersion, as every file was written then) and as stored (with 1).
      for (const input of [asOldFile(old), old]) {
        const check = validatePlaybook(input);
        assert.deepEqual(check.issues, [], playbook.id);
        assert.deepEqual(check.playbook, playbook, playbook.id);
      }
      assert.deepEqual(upgradePlaybook(old), playbook, playbook.id);
    }
  });

  it('upgrades the three renames, and leaves the input and a current-form definition as they are', () => {
    const old = {
      holdoutPercent: 7,
      entry: { key: 'data.cartId' },
      exit: { goals: [{ event: 'order.placed', matchTriggerOn: 'data.cartId' }] },
      success: { metric: { event: 'order.placed', matchTriggerOn: 'data.orderId' }, window: '7d' },
      steps: [
        { id: 'a', type: 'send', onQuietHours: 'drop' },
        { id: 'b', type: 'waitForEvent', matchTriggerOn: 'data.cartId' },
      ],
    };
    const before = structuredClone(old);
    assert.deepEqual(upgradePlaybookInput(old), {
      schemaVersion: 2,
      holdout: 0.07,
      entry: { key: 'event.data.cartId' },
      exit: { goals: [{ event: 'order.placed', matchTriggerOn: 'event.data.cartId' }] },
      success: { metric: { event: 'order.placed', matchTriggerOn: 'event.data.orderId' }, window: '7d' },
      steps: [
        { id: 'a', type: 'send', onQuietHours: 'skip' },
        { id: 'b', type: 'waitForEvent', matchTriggerOn: 'event.data.cartId' },
      ],
    });
    assert.deepEqual(old, before, 'the input is not changed');
    const current = SHIPPED[0]!;
    assert.deepEqual(upgradePlaybook(current), current);
  });

  it('puts the same customers in the control arm with holdout 0.07 as with holdoutPercent 7', () => {
    // The arm rule compares a bucket with share × 10000, rounded: 0.07 × 10000 is 700.0000000000001.
    const scheme: HoldoutScheme = { epoch: 1, salt: 'forms', globalControlPercent: 0 };
    const upgraded = upgradePlaybookInput({ holdoutPercent: 7 }) as { holdout: number };
    const ids = Array.from({ length: 5000 }, (_, i) => `c-${i}`);
    const control = ids.filter((id) => assignArm(id, 'p', upgraded.holdout, scheme) === 'control');
    const share = control.length / ids.length;
    assert.ok(share > 0.05 && share < 0.09, `${share}`);
    assert.deepEqual(
      control,
      ids.filter((id) => assignArm(id, 'p', 0.07, scheme) === 'control'),
    );
    // A percent where a share belongs would hold back everyone: refused, not applied.
    assert.throws(() => assignArm('c-1', 'p', 7, scheme), /holdout 7 is not a share from 0 to 1/);
  });

  it('tells the new name for an old one in a file that says schemaVersion: 2', () => {
    const current = { ...cartPlaybook(), schemaVersion: 2 } as Record<string, unknown>;
    const { holdout: _h, ...rest } = current;
    const issues = validatePlaybook({
      ...rest,
      holdoutPercent: 10,
      entry: { key: 'data.cartId' },
      steps: [{ id: 'reminder', type: 'send', channel: 'email', template: 'reminder', onQuietHours: 'drop' }],
    }).issues;
    assert.deepEqual(
      issues.sort((x, y) => x.path.localeCompare(y.path)),
      [
        {
          path: 'entry.key',
          message:
            'data.cartId is the schemaVersion 1 form: write event.data.cartId (a path into the event, as in conditions)',
        },
        {
          path: 'holdoutPercent',
          message:
            'holdoutPercent is the schemaVersion 1 name: with schemaVersion: 2 write holdout, a share from 0 to 1 ' +
            '(holdoutPercent: 10 is holdout: 0.1)',
        },
        {
          path: 'steps[0].onQuietHours',
          message: 'drop is the schemaVersion 1 word: write skip (not sent, the run goes on)',
        },
      ],
    );
  });

  it('checks an old-form value in its own terms, and refuses both names at once', () => {
    const { holdout: _h, ...old } = cartPlaybook() as Record<string, unknown>;
    assert.deepEqual(validatePlaybook({ ...old, holdoutPercent: 120 }).issues, [
      {
        path: 'holdoutPercent',
        message:
          'expected a percent from 0 to 100; better, write holdout, a share from 0 to 1 (holdoutPercent: 10 is holdout: 0.1)',
      },
    ]);
    assert.deepEqual(validatePlaybook({ ...old, holdout: 0.1, holdoutPercent: 10 }).issues, [
      { path: 'holdoutPercent', message: 'holdoutPercent is the old name of holdout: give holdout only' },
    ]);
    assert.deepEqual(validatePlaybook({ ...old, schemaVersion: 3, holdout: 0.1 }).issues, [
      { path: 'schemaVersion', message: 'expected 2 (this form) or 1 (the form before it, still read)' },
    ]);
  });
});
