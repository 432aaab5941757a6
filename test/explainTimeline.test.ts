import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainHeader, formatTimeline } from '../cli/explainFormat';
import { explainTimeline } from '../cli/explainTimeline';
import type { DeliveryRecord, EntryRecord } from '../store/collections';
import type { DecisionRecord } from '../store/decisions';

/* The pure part of `journeys explain`: merging three record lists into one timeline, and printing it. */

const RUN = 'journey:cart-abandonment:c-1';

const entry = (at: string, overrides: Partial<EntryRecord> = {}): EntryRecord => ({
  journeyId: RUN,
  playbookId: 'cart-abandonment',
  playbookVersion: 2,
  playbookLabel: 'v2@519149765061',
  customerId: 'c-1',
  entryEventId: 'e-1',
  arm: 'treatment',
  enteredAt: new Date(at),
  ...overrides,
});

const decision = (
  at: string,
  seq: number,
  rest: Pick<DecisionRecord, 'action' | 'step'> & Partial<DecisionRecord>,
): DecisionRecord => ({
  _id: `${RUN}:e-1:${seq}`,
  journeyId: RUN,
  entryEventId: 'e-1',
  seq,
  playbookVersion: 2,
  recordedAt: new Date(at),
  at,
  customerId: 'c-1',
  playbookId: 'cart-abandonment',
  ...rest,
});

const delivery = (at: string, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  idempotencyKey: 'cart-abandonment:c-1:e-1:reminder',
  customerId: 'c-1',
  playbookId: 'cart-abandonment',
  playbookVersion: 2,
  journeyId: RUN,
  entryEventId: 'e-1',
  step: 'reminder',
  arm: 'treatment',
  status: 'sent',
  channel: 'email',
  to: 'ada@example.test',
  attempts: 1,
  providerMessageId: '<abc@journeys.local>',
  createdAt: new Date(at),
  updatedAt: new Date(at),
  ...overrides,
});

describe('explainTimeline', () => {
  it('merges the three lists oldest first; at one instant entry, then decisions by seq, then delivery', () => {
    const t0 = '2026-11-21T07:00:00.000Z';
    const t1 = '2026-11-21T08:00:00.000Z';
    const items = explainTimeline({
      // The store returns newest first; the merge does not depend on it.
      deliveries: [delivery(t1)],
      decisions: [
        decision(t1, 2, { action: 'send', step: 'reminder', channel: 'email' }),
        decision(t0, 1, { action: 'defer', step: 'wait', reason: 'quiet hours' }),
        decision(t0, 0, { action: 'enter', step: null, reason: 'trigger:cart.updated' }),
      ],
      entries: [entry(t0)],
    });
    assert.deepEqual(
      items.map((item) => [item.at, item.kind, item.kind === 'decision' ? item.seq : '']),
      [
        [t0, 'entry', ''],
        [t0, 'decision', 0],
        [t0, 'decision', 1],
        [t1, 'decision', 2],
        [t1, 'delivery', ''],
      ],
    );
  });

  it('keeps the newest `limit` items', () => {
    const items = explainTimeline(
      {
        entries: [entry('2026-11-21T07:00:00.000Z')],
        decisions: [decision('2026-11-21T07:30:00.000Z', 0, { action: 'enter', step: null })],
        deliveries: [delivery('2026-11-21T08:00:00.000Z')],
      },
      2,
    );
    assert.deepEqual(
      items.map((item) => item.kind),
      ['decision', 'delivery'],
    );
  });

  it('carries rule, count and winner when present, and no empty keys when not', () => {
    const [capped, plain] = explainTimeline({
      entries: [],
      deliveries: [],
      decisions: [
        decision('2026-11-21T08:00:00.000Z', 3, {
          action: 'suppress',
          step: 'reminder',
          channel: 'sms',
          reason: 'cap',
          rule: 'sms ≤ 1 per day',
          count: 1,
          winner: 'back-in-stock',
        }),
        decision('2026-11-21T09:00:00.000Z', 4, { action: 'exit', step: null }),
      ],
    });
    assert.deepEqual(capped, {
      kind: 'decision',
      at: '2026-11-21T08:00:00.000Z',
      playbookId: 'cart-abandonment',
      journeyId: RUN,
      entryEventId: 'e-1',
      seq: 3,
      playbookVersion: 2,
      step: 'reminder',
      action: 'suppress',
      channel: 'sms',
      reason: 'cap',
      rule: 'sms ≤ 1 per day',
      count: 1,
      winner: 'back-in-stock',
    });
    assert.deepEqual(Object.keys(plain ?? {}).sort(), [
      'action',
      'at',
      'entryEventId',
      'journeyId',
      'kind',
      'playbookId',
      'playbookVersion',
      'seq',
      'step',
    ]);
  });
});

describe('formatTimeline', () => {
  it('prints one aligned line per item, `-` for empty cells, quoting values with spaces', () => {
    const lines = formatTimeline(
      explainTimeline({
        entries: [entry('2026-11-21T07:00:00.000Z', { arm: 'control' })],
        decisions: [
          decision('2026-11-21T08:00:00.000Z', 1, {
            action: 'suppress',
            step: 'reminder',
            channel: 'email',
            reason: 'cap:email ≤ 1 per day',
            rule: 'email ≤ 1 per day',
            count: 1,
          }),
        ],
        deliveries: [delivery('2026-11-21T08:00:01.000Z', { status: 'failed', reason: 'smtp 550' })],
      }),
    );
    assert.deepEqual(lines, [
      '2026-11-21T07:00:00.000Z  entry     cart-abandonment  control   -         -      ' +
        `version=v2@519149765061 run=${RUN} event=e-1`,
      '2026-11-21T08:00:00.000Z  decision  cart-abandonment  suppress  reminder  email  ' +
        'reason="cap:email ≤ 1 per day" rule="email ≤ 1 per day" count=1',
      '2026-11-21T08:00:01.000Z  delivery  cart-abandonment  failed    reminder  email  ' +
        'to=ada@example.test reason="smtp 550" attempts=1 provider-id=<abc@journeys.local>',
    ]);
  });

  it('names the customer and the counts, and says when the limit cut the timeline', () => {
    const totals = { entries: 1, decisions: 3, deliveries: 2 };
    assert.equal(explainHeader('c-1', totals, 6), 'customer c-1: 1 entry, 3 decisions, 2 deliveries');
    assert.equal(
      explainHeader('c-1', totals, 4),
      'customer c-1: 1 entry, 3 decisions, 2 deliveries; the latest 4 of 6 shown (--limit N for more)',
    );
  });
});
