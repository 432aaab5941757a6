import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkChaos,
  localWeekStart,
  type AcceptedMessage,
  type CapPolicy,
  type CheckInput,
} from '../tools/chaos/check';

const policy: CapPolicy = {
  timezone: 'UTC',
  weekStartsOn: 'mon',
  caps: [
    { channel: 'email', max: 1, window: { calendar: 'day' } },
    { channel: 'sms', max: 1, window: { calendar: 'day' } },
    { channel: 'any', max: 2, window: { calendar: 'day' } },
  ],
};

const customers = [
  { customerId: 'c1', email: 'c1@example.test', phone: '+46700000001' },
  { customerId: 'c2', email: 'c2@example.test', phone: '+46700000002' },
];

const at = (iso: string) => new Date(iso);

/** Both customers, one event each, each answered by one email and one SMS: the clean run. */
function cleanRun(): CheckInput {
  const accepted: AcceptedMessage[] = customers.flatMap((c) => [
    { channel: 'email', to: c.email, key: `mail:${c.customerId}`, acceptedAt: at('2026-11-21T10:00:00Z') },
    { channel: 'sms', to: c.phone, key: `sms:${c.customerId}`, acceptedAt: at('2026-11-21T10:00:01Z') },
  ]);
  return {
    customers,
    acknowledged: customers.map((c) => ({ eventId: `e-${c.customerId}`, customerId: c.customerId })),
    expected: customers.flatMap((c) =>
      (['email', 'sms'] as const).map((channel) => ({
        customerId: c.customerId,
        channel,
        count: 1,
        eventIds: [`e-${c.customerId}`],
      })),
    ),
    accepted,
    refused: [],
    policy,
    resentAfterCrash: new Set(),
    reservedKeys: new Set(accepted.map((m) => m.key!)),
  };
}

describe('chaos checker', () => {
  it('finds nothing wrong in a clean run', () => {
    const result = checkChaos(cleanRun());
    assert.deepEqual(
      [result.events, result.expectedActions, result.actions, result.lost, result.duplicates],
      [2, 4, 4, 0, 0],
    );
    assert.equal(result.capViolations, 0);
    assert.equal(result.unattributed, 0);
  });

  it('counts a missing message as lost and names its event', () => {
    const input = cleanRun();
    const result = checkChaos({ ...input, accepted: input.accepted.filter((m) => m.key !== 'sms:c2') });
    assert.equal(result.lost, 1);
    assert.deepEqual(result.lostActions[0], {
      customerId: 'c2',
      channel: 'sms',
      count: 1,
      expected: 1,
      got: 0,
      eventIds: ['e-c2'],
    });
  });

  it('counts a hard bounce as an action, and a transient refusal as nothing', () => {
    const input = cleanRun();
    const withoutMail = input.accepted.filter((m) => m.key !== 'mail:c1');
    const bounced = checkChaos({
      ...input,
      accepted: withoutMail,
      refused: [{ channel: 'email', to: 'C1@example.test', key: 'mail:c1', permanent: true }],
    });
    assert.equal(bounced.lost, 0);
    const deferred = checkChaos({
      ...input,
      accepted: withoutMail,
      refused: [{ channel: 'email', to: 'c1@example.test', key: 'mail:c1', permanent: false }],
    });
    assert.equal(deferred.lost, 1);
  });

  it('splits duplicates by the delivery record’s evidence of a resend after a crash', () => {
    const input = cleanRun();
    // A copy accepted a minute after the original, on the same calendar day: counted against the
    // cap, it would be a violation, so `capViolations` below proves copies are not counted.
    const copy = (key: string) => {
      const original = input.accepted.find((m) => m.key === key)!;
      return { ...original, acceptedAt: new Date(original.acceptedAt.getTime() + 60_000) };
    };
    const result = checkChaos({
      ...input,
      accepted: [...input.accepted, copy('mail:c1'), copy('sms:c2'), copy('sms:c2')],
      resentAfterCrash: new Set(['mail:c1']),
    });
    assert.equal(result.ambiguousDuplicates, 1);
    assert.equal(result.duplicates, 2);
    // A copy is the same message: it is a duplicate, not a second send against the cap.
    assert.equal(result.capViolations, 0);
  });

  it('recounts caps per customer and calendar day from the sinks’ timestamps', () => {
    const input = cleanRun();
    const second: AcceptedMessage = {
      channel: 'email',
      to: 'c1@example.test',
      key: 'other:c1',
      acceptedAt: at('2026-11-21T23:59:00Z'),
    };
    const nextDay: AcceptedMessage = { ...second, key: 'later:c1', acceptedAt: at('2026-11-22T00:01:00Z') };
    const result = checkChaos({
      ...input,
      accepted: [...input.accepted, second, nextDay],
      reservedKeys: new Set([...input.reservedKeys, 'other:c1', 'later:c1']),
    });
    assert.deepEqual(
      result.capViolationDetails.map((v) => [v.customerId, v.rule, v.window, v.count]),
      [
        ['c1', 'email 1/day', 'day of 2026-11-21', 2],
        ['c1', 'any 2/day', 'day of 2026-11-21', 3],
      ],
    );
  });

  it('counts the day in the customer’s timezone', () => {
    const input = cleanRun();
    const late: AcceptedMessage = {
      channel: 'email',
      to: 'c2@example.test',
      key: 'late:c2',
      acceptedAt: at('2026-11-21T23:30:00Z'),
    };
    const result = checkChaos({
      ...input,
      customers: customers.map((c) => (c.customerId === 'c2' ? { ...c, timezone: 'Europe/Stockholm' } : c)),
      accepted: [...input.accepted, late],
      reservedKeys: new Set([...input.reservedKeys, 'late:c2']),
    });
    // 00:30 on the 22nd in Stockholm: a new day there, so no overrun.
    assert.equal(result.capViolations, 0);
  });

  it('reports a send without a reservation in the ledger as a cap violation', () => {
    const input = cleanRun();
    const result = checkChaos({ ...input, reservedKeys: new Set(['mail:c1', 'sms:c1', 'mail:c2']) });
    assert.deepEqual(
      result.capViolationDetails.map((v) => [v.rule, v.keys]),
      [['no-reservation', ['sms:c2']]],
    );
  });

  it('counts a message without a key, or for nobody it knows, as unattributed', () => {
    const input = cleanRun();
    const result = checkChaos({
      ...input,
      accepted: [
        ...input.accepted,
        { channel: 'sms', to: '+46709999999', key: 'x', acceptedAt: at('2026-11-21T11:00:00Z') },
        { channel: 'email', to: 'c1@example.test', key: undefined, acceptedAt: at('2026-11-21T11:00:00Z') },
      ],
    });
    assert.equal(result.unattributed, 2);
  });

  it('starts weeks on the policy’s weekday', () => {
    // Saturday 21 November 2026.
    assert.equal(localWeekStart(at('2026-11-21T12:00:00Z'), 'UTC', 'mon'), '2026-11-16');
    assert.equal(localWeekStart(at('2026-11-21T12:00:00Z'), 'UTC', 'sun'), '2026-11-15');
  });
});
