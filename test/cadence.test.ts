import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DAY_MS,
  LAPSE_FLOOR_DAYS,
  lapseThreshold,
  reorderInterval,
  replenishmentTiming,
} from '../engine/triggers/cadence';
import { supersedes, timersAfterOrder, type OrderFact } from '../engine/triggers/timerCommands';

/* The computed triggers' pure core: whose cadence sets the timing, and when each timer falls due. */

const T0 = Date.parse('2026-01-01T09:00:00.000Z');
const day = (n: number) => T0 + n * DAY_MS;
const coffee = (at: number): OrderFact => ({
  at,
  items: [{ sku: 'SKU-BEANS', name: 'House beans', category: 'coffee' }],
});

describe('reorder interval', () => {
  it("uses the customer's own cadence when they bought the product at least twice", () => {
    assert.deepEqual(reorderInterval([day(0), day(20), day(41)], [30, 30, 30], 'coffee'), {
      days: 20.5,
      basis: 'customer',
    });
  });

  it("falls back to the product's buyers' median, then the category's cycle, then none", () => {
    assert.deepEqual(reorderInterval([day(0)], [10, 40, 12], 'coffee'), { days: 12, basis: 'product' });
    // Too few buyers to trust: the category's consumption cycle.
    assert.deepEqual(reorderInterval([day(0)], [10, 40], 'coffee'), { days: 30, basis: 'category' });
    // A jacket bought once is not running out.
    assert.equal(reorderInterval([day(0)], [], 'jackets'), undefined);
  });

  it('treats purchases within a day as one occasion', () => {
    assert.deepEqual(reorderInterval([day(0), day(0.2), day(14)], [], 'coffee'), {
      days: 14,
      basis: 'customer',
    });
  });
});

describe('replenishment timing', () => {
  it('reminds before the run-out: 15% of the interval, at least 2 days, at most half of it', () => {
    const monthly = replenishmentTiming(day(0), 40);
    assert.equal(monthly.runOutAt, day(40));
    assert.equal(monthly.remindAt, day(34));
    assert.equal(replenishmentTiming(day(0), 10).remindAt, day(8)); // 1.5 days → 2
    assert.equal(replenishmentTiming(day(0), 3).remindAt, day(1.5)); // never before halfway
  });
});

describe('lapse threshold', () => {
  it("follows the customer's cadence, with a floor", () => {
    // Every 30 days: lapsed after 75 quiet days.
    assert.deepEqual(lapseThreshold([day(0), day(30), day(60)]), {
      lapseDays: 75,
      cadenceDays: 30,
      basis: 'customer',
    });
    // Weekly: 17.5 days would call a holiday a lapse; the floor applies.
    assert.deepEqual(lapseThreshold([day(0), day(7), day(14)]), {
      lapseDays: LAPSE_FLOOR_DAYS,
      cadenceDays: 7,
      basis: 'floor',
    });
    assert.deepEqual(lapseThreshold([day(0)]), { lapseDays: LAPSE_FLOOR_DAYS, basis: 'floor' });
    assert.equal(lapseThreshold([day(0), day(300)]).lapseDays, 365); // the ceiling
  });
});

describe('timer commands after an order', () => {
  const none = () => [];

  it('arms a reminder per product bought again and the lapse, with event IDs fixed by timer and time', () => {
    const orders = [coffee(day(0)), coffee(day(20))];
    const commands = timersAfterOrder('c-1', orders[1]!, { orders, populationDays: none });
    assert.deepEqual(
      commands.map((c) => [c.timerId, new Date(c.dueAt).toISOString(), c.event.eventId]),
      [
        [
          'replenishment:c-1:SKU-BEANS',
          new Date(day(37)).toISOString(),
          `replenishment:c-1:SKU-BEANS@${new Date(day(37)).toISOString()}`,
        ],
        ['lapse:c-1', new Date(day(70)).toISOString(), `lapse:c-1@${new Date(day(70)).toISOString()}`],
      ],
    );
    const [reminder] = commands;
    assert.equal(reminder?.event.type, 'replenishment.due');
    assert.deepEqual(reminder?.event.data, {
      sku: 'SKU-BEANS',
      name: 'House beans',
      category: 'coffee',
      lastOrderAt: new Date(day(20)).toISOString(),
      runOutAt: new Date(day(40)).toISOString(),
      intervalDays: 20,
      basis: 'customer',
    });
    assert.ok(
      reminder.dueAt < Date.parse(reminder.event.data.runOutAt),
      'the reminder lands before the run-out',
    );
  });

  it('re-arming replaces the pending timer, but never with one computed from older purchases', () => {
    const first = [coffee(day(0)), coffee(day(20))];
    const [early] = timersAfterOrder('c-1', first[1]!, { orders: first, populationDays: none });
    const later = [...first, coffee(day(30))];
    const [moved] = timersAfterOrder('c-1', later[2]!, { orders: later, populationDays: none });
    assert.ok(moved!.dueAt > early!.dueAt);
    assert.equal(supersedes(moved!, early), true);
    assert.equal(supersedes(early!, moved), false, 'a late-routed older order does not win');
    assert.equal(supersedes(early!, early), true, 'the same order routed again changes nothing');
  });
});
