import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { journeyId } from '../engine/interpreter/entry';
import type { Playbook } from '../schemas/playbook/schema';
import { loadPolicy } from '../schemas/policy/load';
import { currentLedger } from '../store/contactLedger';
import { daytimeZone } from '../tools/devstack/sampleCustomers';
import { upsertProfile } from '../store/profiles';
import type { JourneyResult } from '../workflows/journey';
import { cartUpdated, uniqueId } from './support/events';
import { cartPlaybook, startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/** The contact policy applied to real sends, on the time-skipping server with real MongoDB and sinks. */
describe('contact policy on live journeys', () => {
  let h: TimeSkippingHarness;
  const shipped = loadPolicy();
  before(async () => {
    h = await startTimeSkippingHarness('policy');
  });
  after(async () => {
    await h?.close();
  });

  /**
   * A second playbook on the same trigger, asking 10 s after the cart playbook: inside its
   * arbitration window, and with the timers ordered, so the time-skipping server cannot close the
   * window before the twin has asked.
   */
  const twin = (onCap: 'skip' | 'defer'): Playbook => {
    const cart = cartPlaybook();
    return {
      ...cart,
      id: `cart-twin-${onCap}`,
      steps: cart.steps.map((step) =>
        step.type === 'send'
          ? { ...step, onCap }
          : step.type === 'wait'
            ? { ...step, duration: '3610s' }
            : step,
      ),
    };
  };
  const result = (playbookId: string, customerId: string) =>
    h.env.client.workflow.getHandle(journeyId(playbookId, customerId)).result() as Promise<JourneyResult>;

  it('three playbooks wanting one customer within a minute under a 1/day email cap: the highest priority sends', async () => {
    const id = uniqueId('arbitrated');
    const email = `${id}@example.test`;
    await upsertProfile(h.servers.collections.profiles, id, { email, timezone: 'UTC' }, new Date());
    // The low-priority send asks 40 s before the others: arriving first must not win.
    const contender = (name: string, priority: number, wait: string): Playbook => {
      const cart = cartPlaybook();
      return {
        ...cart,
        id: `cart-${name}`,
        priority,
        steps: cart.steps.map((step) => (step.type === 'wait' ? { ...step, duration: wait } : step)),
      };
    };
    const playbooks = [
      contender('early-low', 50, '3580s'),
      contender('high', 300, '1h'),
      contender('medium', 100, '3590s'),
    ];
    await h.clientWith(playbooks, shipped).publishEvent(cartUpdated(id));

    const runs = [];
    for (const playbook of playbooks) runs.push(await result(playbook.id, id)); // one at a time
    const decided = runs
      .flatMap((r) => r.decisions)
      .filter((d) => d.action === 'send' || d.action === 'suppress');
    assert.deepEqual(decided.map((d) => [d.playbookId, d.action, d.reason ?? '']).sort(), [
      ['cart-early-low', 'suppress', 'priority:cart-high'],
      ['cart-high', 'send', ''],
      ['cart-medium', 'suppress', 'priority:cart-high'],
    ]);
    for (const loser of decided.filter((d) => d.action === 'suppress')) {
      assert.equal(loser.winner, 'cart-high');
      assert.equal(loser.rule, 'email ≤ 1 per day');
    }
    const waits = runs.flatMap((r) => r.decisions).filter((d) => d.action === 'defer');
    assert.equal(waits.length, 3, 'each send waited for the arbitration window');
    assert.ok(waits.every((d) => /^arbitration until /.test(d.reason ?? '')));
    assert.equal(new Set(waits.map((d) => d.reason)).size, 1, 'all three joined the same window');

    const mails = h.servers.smtp.messages.filter((m) => m.to.includes(email));
    assert.equal(mails.length, 1);
    assert.match(mails[0]?.idempotencyKey ?? '', /^cart-high:/);
    const suppressed = await h.servers.collections.deliveries
      .find({ customerId: id, status: 'suppressed' })
      .toArray();
    assert.deepEqual(suppressed.map((d) => d.reason).sort(), ['priority:cart-high', 'priority:cart-high']);
    const ledger = await currentLedger(h.servers.collections.ledger, id);
    assert.deepEqual(
      ledger?.entries.map((e) => e.playbookId),
      ['cart-high'],
      'only the message that went out holds a slot',
    );

    // The decision records in MongoDB name the winner and the cap, for `journeys explain`.
    const recorded = await h.servers.collections.decisions
      .find({ customerId: id, action: 'suppress' })
      .toArray();
    assert.deepEqual(recorded.map((d) => [d.playbookId, d.reason, d.rule, d.winner]).sort(), [
      ['cart-early-low', 'priority:cart-high', 'email ≤ 1 per day', 'cart-high'],
      ['cart-medium', 'priority:cart-high', 'email ≤ 1 per day', 'cart-high'],
    ]);
  });

  it('a marketing opt-out blocks marketing sends but not transactional ones', async () => {
    const id = uniqueId('opted-out');
    const email = `${id}@example.test`;
    await upsertProfile(
      h.servers.collections.profiles,
      id,
      { email, timezone: 'UTC', consents: { email: { marketing: false } } },
      new Date(),
    );
    const cart = cartPlaybook();
    // The same message, declared transactional (as a receipt or a service notice would be).
    const notice: Playbook = {
      ...cart,
      id: 'cart-notice',
      steps: cart.steps.map((step) => (step.type === 'send' ? { ...step, purpose: 'transactional' } : step)),
    };
    await h.clientWith([cart, notice], shipped).publishEvent(cartUpdated(id));

    const marketing = await result('cart-abandonment', id);
    const transactional = await result('cart-notice', id);
    const reminder = (r: JourneyResult) =>
      r.decisions.filter((d) => d.step === 'reminder').map((d) => [d.action, d.reason ?? '']);
    assert.deepEqual(reminder(marketing), [['suppress', 'no-consent']]);
    assert.deepEqual(
      reminder(transactional),
      [['send', '']],
      'transactional: no arbitration wait, no consent block',
    );
    const mails = h.servers.smtp.messages.filter((m) => m.to.includes(email));
    assert.equal(mails.length, 1);
    assert.match(mails[0]?.idempotencyKey ?? '', /^cart-notice:/);
    assert.equal(mails[0]?.listUnsubscribe, undefined, 'no unsubscribe link on a transactional message');
  });

  it('a step that defers on caps sends after the customer’s local midnight, under the same key', async () => {
    const id = uniqueId('deferred');
    const email = `${id}@example.test`;
    // A zone where it is about noon on the server's clock (which earlier tests moved on), so the
    // first send and its deferral fall on the same local day whatever time the suite runs at.
    const timezone = daytimeZone(await h.env.currentTimeMs());
    await upsertProfile(h.servers.collections.profiles, id, { email, timezone }, new Date());
    await h.clientWith([cartPlaybook(), twin('defer')], shipped).publishEvent(cartUpdated(id));

    const later = await result('cart-twin-defer', id);
    const first = await result('cart-abandonment', id);
    const deferred = [...first.decisions, ...later.decisions].find(
      (d) => d.action === 'defer' && d.reason?.startsWith('priority:'),
    );
    assert.ok(deferred, 'one of the sends was deferred');
    assert.equal(
      deferred.playbookId,
      'cart-twin-defer',
      'a tie in priority goes to the send that asked first',
    );
    const until = /^priority:cart-abandonment until (\S+)$/.exec(deferred.reason ?? '')?.[1];
    assert.ok(until, deferred.reason);
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, timeStyle: 'medium' });
    assert.equal(local.format(new Date(until)), '00:00:00', `${until} is local midnight in ${timezone}`);
    const mails = h.servers.smtp.messages.filter((m) => m.to.includes(email));
    assert.equal(mails.length, 2);
    assert.equal(new Set(mails.map((m) => m.idempotencyKey)).size, 2);
    assert.ok(
      mails.every((m) => !m.idempotencyKey?.includes('#')),
      'a deferral is the same send, not a new visit',
    );
  });

  it('an SMS due at 23:00 local is deferred to 08:00 local, then arbitrated', async () => {
    // A fixed-offset zone in which the reminder, due an hour after the cart event, falls at 23:xx.
    const now = await h.env.currentTimeMs(); // the test server's clock, which earlier tests skipped ahead
    const due = now + 3_600_000;
    let offset = (23 - new Date(due).getUTCHours() + 24) % 24;
    if (offset > 14) offset -= 24;
    const timezone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const local = (t: number) => new Date(t + offset * 3_600_000);
    const morning = local(due);
    morning.setUTCDate(morning.getUTCDate() + 1);
    morning.setUTCHours(8, 0, 0, 0);
    const eight = morning.getTime() - offset * 3_600_000; // 08:00 local the next morning, in UTC

    const id = uniqueId('night');
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    await upsertProfile(h.servers.collections.profiles, id, { phone, timezone }, new Date());
    await h.clientWith(cartPlaybook(), shipped).publishEvent(cartUpdated(id));

    const { decisions } = await result('cart-abandonment', id);
    const reminder = decisions.filter((d) => d.step === 'reminder');
    assert.deepEqual(
      reminder.map((d) => [d.action, d.reason?.replace(/ until .*/, '') ?? '']),
      [
        ['defer', 'quiet-hours'],
        ['defer', 'arbitration'],
        ['send', ''],
      ],
    );
    assert.equal(local(Date.parse(reminder[0]!.at)).getUTCHours(), 23, 'due at 23:xx local');
    assert.equal(reminder[0]!.reason, `quiet-hours until ${new Date(eight).toISOString()}`);
    // At 08:00 every send held overnight for this customer competes in one arbitration window.
    const sentAt = Date.parse(reminder[2]!.at);
    assert.ok(sentAt >= eight && sentAt <= eight + 6 * 60_000, `sent at ${new Date(sentAt).toISOString()}`);
    assert.equal(h.servers.twilio.messages.filter((m) => m.to === phone).length, 1);
  });
});
