import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkCaps, type LedgerEntry } from '../engine/contactPolicy/frequencyCaps';
import { planRoute } from '../engine/interpreter/route';
import { quietHoursEnd } from '../engine/contactPolicy/quietHours';
import type { Profile } from '../engine/profile/profile';
import { InvalidPolicyError, loadPolicy } from '../schemas/policy/load';
import { tempDir } from './support/servers';

const policy = loadPolicy();
const stockholm = { timeZone: 'Europe/Stockholm', weekStartsOn: 'mon' as const };
const at = (iso: string) => Date.parse(iso);
const sent = (
  iso: string,
  channel: 'email' | 'sms',
  playbookId = 'p',
  transactional = false,
): LedgerEntry => ({
  at: at(iso),
  channel,
  playbookId,
  transactional,
  key: `${iso}-${channel}`,
});
const email = { channel: 'email' as const, playbookId: 'p', transactional: false };
const sms = { channel: 'sms' as const, playbookId: 'p', transactional: false };

describe('the shipped workspace policy', () => {
  it('is the default the issue asks for', () => {
    assert.deepEqual(
      policy.caps.map(
        (c) => `${c.channel} ≤ ${c.max}/${'calendar' in c.window ? c.window.calendar : c.window.rolling}`,
      ),
      ['email ≤ 1/day', 'email ≤ 3/week', 'sms ≤ 1/day', 'sms ≤ 2/week', 'any ≤ 2/day'],
    );
    assert.deepEqual(policy.quietHours, [{ channel: 'sms', from: '21:00', to: '08:00' }]);
    assert.equal(policy.arbitrationWindow, '5m');
  });

  it('reports every problem in a bad policy file as file: path: message', () => {
    const dir = tempDir('policy');
    try {
      const file = join(dir.path, 'bad.yaml');
      writeFileSync(
        file,
        'caps:\n  - { channel: fax, max: -1, window: { calendar: day } }\nquietHours: []\nsurprise: 1\n',
      );
      assert.throws(
        () => loadPolicy(file),
        (error: unknown) =>
          error instanceof InvalidPolicyError &&
          /bad\.yaml: caps\[0\]\.channel: /.test(error.message) &&
          /bad\.yaml: caps\[0\]\.max: /.test(error.message) &&
          /bad\.yaml: surprise: unknown field/.test(error.message),
      );
    } finally {
      dir.remove();
    }
  });

  it('says what a duration and a clock time look like, in the words a playbook author reads too', () => {
    const dir = tempDir('policy');
    try {
      const file = join(dir.path, 'times.yaml');
      writeFileSync(
        file,
        'caps:\n  - { channel: email, max: 1, window: { rolling: 1 day } }\n' +
          'quietHours:\n  - { channel: sms, from: 9pm, to: "08:00" }\narbitrationWindow: 5 minutes\n',
      );
      assert.throws(
        () => loadPolicy(file),
        (error: unknown) => {
          assert.ok(error instanceof InvalidPolicyError);
          assert.deepEqual(error.message.split('\n').sort(), [
            `${file}: arbitrationWindow: expected a duration such as 90s, 15m, 1h, 2d or 1w`,
            `${file}: caps[0].window.rolling: expected a duration such as 90s, 15m, 1h, 2d or 1w`,
            `${file}: quietHours[0].from: expected a 24-hour time such as 21:00`,
          ]);
          return true;
        },
      );
    } finally {
      dir.remove();
    }
  });
});

describe('frequency caps', () => {
  it('calendar day caps count in the customer’s timezone', () => {
    // 23:30 UTC on the 21st is already the 22nd in Stockholm: yesterday's email does not count.
    const ledger = [sent('2026-11-21T10:00:00Z', 'email')];
    assert.equal(checkCaps(policy.caps, ledger, email, at('2026-11-21T22:30:00Z'), stockholm).ok, false);
    assert.equal(checkCaps(policy.caps, ledger, email, at('2026-11-21T23:30:00Z'), stockholm).ok, true);
  });

  it('combines caps with AND and names the most restrictive, with when it frees up', () => {
    const ledger = [sent('2026-11-23T08:00:00Z', 'email'), sent('2026-11-23T09:00:00Z', 'sms')];
    const decision = checkCaps(policy.caps, ledger, email, at('2026-11-23T12:00:00Z'), stockholm);
    assert.equal(decision.ok, false);
    if (decision.ok) return;
    assert.equal(decision.count, 1);
    assert.equal(new Date(decision.freesAt).toISOString(), '2026-11-23T23:00:00.000Z'); // local midnight
    // An SMS is blocked too: one SMS already today, and two sends in all.
    assert.equal(checkCaps(policy.caps, ledger, sms, at('2026-11-23T12:00:00Z'), stockholm).ok, false);
  });

  it('weekly caps reach back to the local week start', () => {
    const week = ['2026-11-23T08:00:00Z', '2026-11-24T08:00:00Z', '2026-11-25T08:00:00Z'].map((t) =>
      sent(t, 'email'),
    );
    const decision = checkCaps(policy.caps, week, email, at('2026-11-27T08:00:00Z'), stockholm);
    assert.equal(decision.ok, false);
    if (!decision.ok) assert.equal(new Date(decision.freesAt).toISOString(), '2026-11-29T23:00:00.000Z');
    assert.equal(checkCaps(policy.caps, week, email, at('2026-11-30T08:00:00Z'), stockholm).ok, true);
  });

  it('rolling windows and per-playbook caps', () => {
    const rules = [{ channel: 'any' as const, max: 1, window: { rolling: '6h' }, playbook: 'winback' }];
    const ledger = [sent('2026-11-23T08:00:00Z', 'email', 'winback')];
    assert.equal(
      checkCaps(rules, ledger, { ...email, playbookId: 'winback' }, at('2026-11-23T13:59:00Z'), stockholm).ok,
      false,
    );
    assert.equal(
      checkCaps(rules, ledger, { ...email, playbookId: 'winback' }, at('2026-11-23T14:00:00Z'), stockholm).ok,
      true,
    );
    assert.equal(
      checkCaps(rules, ledger, email, at('2026-11-23T09:00:00Z'), stockholm).ok,
      true,
      'other playbooks are not capped by it',
    );
  });

  it('counts a slot dated a moment after now, as another worker’s clock may', () => {
    const ledger = [sent('2026-11-23T09:00:00.005Z', 'email')];
    assert.equal(checkCaps(policy.caps, ledger, email, at('2026-11-23T09:00:00Z'), stockholm).ok, false);
  });

  it('transactional sends are exempt but still counted', () => {
    const receipt = [sent('2026-11-23T08:00:00Z', 'email', 'receipts', true)];
    assert.equal(
      checkCaps(
        policy.caps,
        receipt,
        { ...email, transactional: true },
        at('2026-11-23T09:00:00Z'),
        stockholm,
      ).ok,
      true,
    );
    assert.equal(checkCaps(policy.caps, receipt, email, at('2026-11-23T09:00:00Z'), stockholm).ok, false);
  });
});

describe('quiet hours', () => {
  it('defers an SMS due at 23:00 local to 08:00 local, and leaves email alone', () => {
    const due = at('2026-11-23T22:00:00Z'); // 23:00 in Stockholm
    assert.equal(
      new Date(quietHoursEnd(policy.quietHours, 'sms', due, 'Europe/Stockholm')).toISOString(),
      '2026-11-24T07:00:00.000Z',
    );
    assert.equal(quietHoursEnd(policy.quietHours, 'email', due, 'Europe/Stockholm'), due);
    const noon = at('2026-11-23T11:00:00Z');
    assert.equal(quietHoursEnd(policy.quietHours, 'sms', noon, 'Europe/Stockholm'), noon);
  });
});

describe('consent by purpose', () => {
  const profile = (marketing?: boolean): Profile => ({
    customerId: 'c',
    email: 'c@example.test',
    phone: '+46701234567',
    ...(marketing !== undefined && { consents: { sms: { marketing } } }),
  });

  it('an opt-out blocks marketing on that channel but not transactional sends', () => {
    assert.deepEqual(planRoute(profile(false), 'sms', undefined, 'marketing'), { blocked: 'no-consent' });
    assert.deepEqual(planRoute(profile(false), 'sms', undefined, 'transactional'), {
      channel: 'sms',
      to: '+46701234567',
    });
    assert.deepEqual(planRoute(profile(false), 'sms', 'email', 'marketing'), {
      channel: 'email',
      to: 'c@example.test',
    });
  });

  it('where the workspace requires an opt-in, silence is not consent', () => {
    assert.deepEqual(planRoute(profile(), 'sms', undefined, 'marketing', ['sms']), { blocked: 'no-consent' });
    assert.deepEqual(planRoute(profile(true), 'sms', undefined, 'marketing', ['sms']), {
      channel: 'sms',
      to: '+46701234567',
    });
    assert.deepEqual(planRoute(profile(), 'sms', undefined, 'marketing'), {
      channel: 'sms',
      to: '+46701234567',
    });
  });
});
