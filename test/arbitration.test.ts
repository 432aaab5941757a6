import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestSlot, type CustomerLedger, type SlotRequest } from '../engine/contactPolicy/arbitration';
import type { CapRule } from '../schemas/policy/schema';

/* Priority arbitration as a pure function: the MongoDB ledger and the simulator both run it. */
describe('priority arbitration', () => {
  const calendar = { timeZone: 'UTC', weekStartsOn: 'mon' as const };
  const emailOnePerDay: CapRule[] = [{ channel: 'email', max: 1, window: { calendar: 'day' } }];
  const t0 = Date.parse('2026-11-23T09:00:00Z');
  const window = 5 * 60_000;
  const ask = (
    ledger: CustomerLedger,
    playbookId: string,
    priority: number,
    now: number,
    extra: Partial<SlotRequest> = {},
  ) =>
    requestSlot(ledger, {
      key: `${playbookId}:c1:e1:send`,
      candidate: { channel: 'email', playbookId, transactional: false },
      priority,
      expectedValue: 0,
      rules: emailOnePerDay,
      calendar,
      windowMs: window,
      now,
      horizon: now - 2 * 86_400_000,
      ...extra,
    });
  const empty: CustomerLedger = { entries: [], intents: [] };

  it('a send that leaves room under every cap goes at once', () => {
    const roomy: CapRule[] = [{ channel: 'email', max: 3, window: { calendar: 'day' } }];
    const { answer, next } = ask(empty, 'welcome', 100, t0, { rules: roomy });
    assert.deepEqual(answer, { status: 'reserved', duplicate: false });
    assert.equal(next?.entries.length, 1);
  });

  it('the last slot waits for the window; a later, higher-priority send wins it and is named', () => {
    const first = ask(empty, 'browse', 50, t0);
    assert.deepEqual(first.answer, { status: 'pending', decideAt: t0 + window });
    const second = ask(first.next!, 'vip', 300, t0 + 60_000);
    assert.deepEqual(second.answer, { status: 'pending', decideAt: t0 + window }, 'joins the open window');
    assert.deepEqual(ask(second.next!, 'browse', 50, t0 + 120_000).answer, {
      status: 'pending',
      decideAt: t0 + window,
    });

    const close = t0 + window;
    const lost = ask(second.next!, 'browse', 50, close);
    assert.equal(lost.answer.status, 'refused');
    assert.ok(lost.answer.status === 'refused' && lost.answer.winner === 'vip');
    const won = ask(lost.next!, 'vip', 300, close + 1_000);
    assert.deepEqual(won.answer, { status: 'reserved', duplicate: true });
    assert.deepEqual(
      lost.next?.entries.map((e) => e.playbookId),
      ['vip'],
    );
  });

  it('a tie in priority goes to the higher expected value', () => {
    const a = ask(empty, 'cart', 100, t0, { expectedValue: 5 });
    const b = ask(a.next!, 'wishlist', 100, t0 + 1, { expectedValue: 40 });
    const decided = ask(b.next!, 'cart', 100, t0 + window, { expectedValue: 5 });
    assert.ok(decided.answer.status === 'refused' && decided.answer.winner === 'wishlist');
  });

  it('a refusal stands until the cap frees up; asked again after that, the send is a new request', () => {
    const a = ask(empty, 'cart', 100, t0);
    const b = ask(a.next!, 'vip', 300, t0);
    const refused = ask(b.next!, 'cart', 100, t0 + window);
    assert.ok(refused.answer.status === 'refused');
    const freesAt = refused.answer.refusal.freesAt;
    assert.equal(freesAt, Date.parse('2026-11-24T00:00:00Z'));
    assert.equal(ask(refused.next!, 'cart', 100, freesAt - 1).answer.status, 'refused');
    const nextDay = ask(refused.next!, 'cart', 100, freesAt);
    assert.deepEqual(nextDay.answer, { status: 'pending', decideAt: freesAt + window });
  });

  it('a transactional send never waits and is never refused, but is counted', () => {
    const pending = ask(empty, 'cart', 100, t0);
    const receipt = ask(pending.next!, 'order-receipt', 0, t0 + 1, {
      key: 'receipt',
      candidate: { channel: 'email', playbookId: 'order-receipt', transactional: true },
    });
    assert.deepEqual(receipt.answer, { status: 'reserved', duplicate: false });
    const decided = ask(receipt.next!, 'cart', 100, t0 + window);
    assert.ok(
      decided.answer.status === 'refused' && decided.answer.winner === undefined,
      'refused by the cap',
    );
  });

  it('a cap on a tag counts only the sends of playbooks with that tag', () => {
    const promotional: CapRule[] = [
      { channel: 'any', max: 1, window: { calendar: 'week' }, tag: 'promotional' },
    ];
    const send = (playbookId: string, tags: string[], ledger: CustomerLedger, now: number) =>
      ask(ledger, playbookId, 100, now, {
        key: `${playbookId}:${now}`,
        candidate: { channel: 'email', playbookId, transactional: false, tags },
        rules: promotional,
        windowMs: 0,
      });
    const sale = send('seasonal', ['promotional'], empty, t0);
    assert.equal(sale.answer.status, 'reserved');
    const care = send('post-purchase', ['lifecycle'], sale.next!, t0 + 1);
    assert.equal(care.answer.status, 'reserved', 'untagged for the cap: not counted, not blocked');
    const vip = send('vip-early-access', ['promotional'], care.next!, t0 + 2);
    assert.ok(vip.answer.status === 'refused' && vip.answer.refusal.rule.tag === 'promotional');
  });

  it('without a window (runs from before arbitration) the first to ask takes the slot', () => {
    const first = ask(empty, 'browse', 50, t0, { windowMs: 0 });
    assert.deepEqual(first.answer, { status: 'reserved', duplicate: false });
    assert.equal(ask(first.next!, 'vip', 300, t0 + 1, { windowMs: 0 }).answer.status, 'refused');
  });
});
