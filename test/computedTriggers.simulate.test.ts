import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY_MS } from '../engine/triggers/cadence';
import { orderFact, timersAfterOrder, type ComputedEvent } from '../engine/triggers/timerCommands';
import type { CustomerUpserted, JourneyEvent, OrderPlaced } from '../schemas/events/schema';
import { loadPlaybooks } from '../schemas/playbook/load';
import { simulate } from '../simulator/simulate';

/*
 * `journeys simulate` is the engine's offline twin: from the same orders it publishes the same
 * computed events (IDs and times) as the timer commands the client arms, and they enter the same
 * playbooks.
 */

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const day = (n: number) => T0 + n * DAY_MS;
const iso = (at: number) => new Date(at).toISOString();
const playbooks = loadPlaybooks(`${__dirname}/../playbooks`)
  .filter((p) => p.id === 'replenishment' || p.id === 'win-back')
  .map((p) => ({ ...p, holdout: 0 }));
const holdout = { epoch: 1, salt: 's', globalControlPercent: 0 };

let seq = 0;
function order(customerId: string, at: number, sku: string, category = 'coffee'): OrderPlaced {
  seq += 1;
  return {
    eventId: `order-${seq}`,
    type: 'order.placed',
    customerId,
    occurredAt: iso(at),
    data: {
      orderId: `o-${seq}`,
      items: [{ sku, name: 'House beans', category, price: 12, quantity: 1 }],
      total: 12,
      currency: 'EUR',
      salesChannel: 'online',
    },
  };
}

const profile = (customerId: string): CustomerUpserted => ({
  eventId: `profile-${customerId}`,
  type: 'customer.upserted',
  customerId,
  occurredAt: iso(day(-1)),
  data: { email: `${customerId}@example.test` },
});

/**
 * What the timer commands say is published, stated directly: each order computes its commands
 * from the orders so far; a command is published unless a later order re-arms its timer before it
 * falls due. (No product medians here: fewer than three buyers of any product.)
 */
function expectedEvents(orders: readonly OrderPlaced[]): ComputedEvent[] {
  const commands = orders.flatMap((event) => {
    const history = orders
      .filter(
        (o) => o.customerId === event.customerId && Date.parse(o.occurredAt) <= Date.parse(event.occurredAt),
      )
      .map(orderFact);
    return timersAfterOrder(event.customerId, orderFact(event), {
      orders: history,
      populationDays: () => [],
    });
  });
  return commands
    .filter(
      (command) =>
        !commands.some(
          (later) =>
            later.timerId === command.timerId &&
            later.basisAt > command.basisAt &&
            later.basisAt < command.dueAt,
        ),
    )
    .map((command) => command.event)
    .sort((x, y) => Date.parse(x.occurredAt) - Date.parse(y.occurredAt));
}

describe('computed triggers in the simulator', () => {
  const orders = [
    // Every 20 days, then after 18.
    order('a', day(0), 'SKU-BEANS'),
    order('a', day(20), 'SKU-BEANS'),
    order('a', day(38), 'SKU-BEANS'),
    // Every 10 days, then again after 5, before the reminder due on day 18: it moves.
    order('d', day(0), 'SKU-BEANS'),
    order('d', day(10), 'SKU-BEANS'),
    order('d', day(15), 'SKU-BEANS'),
    // A single order of a product that is not consumed: a lapse only.
    order('c', day(1), 'SKU-JACKET', 'jackets'),
  ];
  const events: JourneyEvent[] = [...['a', 'c', 'd'].map(profile), ...orders];
  const result = simulate(events, { playbooks, holdout });

  it("publishes the same events as the client's timer commands, once each, re-armed ones replaced", () => {
    assert.deepEqual(result.computed, expectedEvents(orders));
    assert.deepEqual(
      result.computed.map((e) => [e.eventId, e.occurredAt]),
      [
        // d: reminded on day 25.5 (coffee's 30-day cycle) after the first order, on day 18 after the
        // second (own interval 10): both moved before they fell due.
        // d: intervals 10 and 5 days, median 7.5: run-out day 22.5, reminded 2 days before.
        [`replenishment:d:SKU-BEANS@${iso(day(20.5))}`, iso(day(20.5))],
        // a: reminded on day 37 (run-out day 40, own interval 20), and reordering on day 38.
        [`replenishment:a:SKU-BEANS@${iso(day(37))}`, iso(day(37))],
        // c: the floor, 45 days after their one order.
        [`lapse:c@${iso(day(46))}`, iso(day(46))],
        // a: median interval 19 days, run-out day 57, reminded 2.85 days (15%) before.
        [`replenishment:a:SKU-BEANS@${iso(day(54.15))}`, iso(day(54.15))],
        [`lapse:d@${iso(day(60))}`, iso(day(60))],
        // a: lapsed after 2.5 × 19 days.
        [`lapse:a@${iso(day(85.5))}`, iso(day(85.5))],
      ],
    );
  });

  it('enters the replenishment and win-back playbooks when they fall due', () => {
    const entries = result.decisions
      .filter((d) => d.action === 'enter')
      .map((d) => [d.customerId, d.playbookId, d.at]);
    assert.deepEqual(entries, [
      ['d', 'replenishment', iso(day(20.5))],
      ['a', 'replenishment', iso(day(37))],
      ['c', 'win-back', iso(day(46))],
      ['a', 'replenishment', iso(day(54.15))],
      ['d', 'win-back', iso(day(60))],
      ['a', 'win-back', iso(day(85.5))],
    ]);
    // a's first reminder run ends on the reorder of day 38, before its last call; the second runs through.
    assert.deepEqual(
      result.decisions
        .filter((d) => d.customerId === 'a' && d.playbookId === 'replenishment' && d.action !== 'enter')
        .map((d) => [d.step, d.action, d.reason ?? '-', d.at]),
      [
        ['reminder', 'send', '-', iso(day(37))],
        ['until-run-out', 'exit', 'goal:order.placed', iso(day(38))],
        ['reminder', 'send', '-', iso(day(54.15))],
        ['last-call', 'send', '-', iso(day(57.15))],
        [null, 'exit', 'completed', iso(day(57.15))],
      ],
    );
  });

  it('replays a duplicate order once, and the same input gives the same output', () => {
    const again = simulate([...events, { ...orders[2]! }], { playbooks, holdout });
    assert.deepEqual(again.computed, result.computed);
    assert.deepEqual(simulate(events, { playbooks, holdout }), result);
  });
});
