import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../engine/interpreter/context';
import { normaliseEvent, upgradeEvent } from '../engine/events/normalise';
import { renderTemplate } from '../engine/template';
import { InvalidEventError, parseEvent } from '../schemas/events/parse';
import type { JourneyEvent } from '../schemas/events/schema';
import { SeasonMoment } from '../schemas/policy/seasons';

/*
 * Events in the form from before the renames of issue 15 are still accepted, and come out in
 * today's form; playbooks that read an old name read the value under the new one.
 */

const envelope = { eventId: 'e-1', customerId: 'c-1', occurredAt: '2026-11-21T10:15:00Z' };

/** Old form → new form, one per rename. */
const CASES: { name: string; old: object; now: object }[] = [
  {
    name: 'cart.updated items unitPrice → price',
    old: {
      ...envelope,
      type: 'cart.updated',
      data: {
        cartId: 'k',
        currency: 'EUR',
        items: [{ sku: 'A', name: 'Tee', quantity: 2, unitPrice: 19.5 }],
      },
    },
    now: {
      ...envelope,
      type: 'cart.updated',
      data: { cartId: 'k', currency: 'EUR', items: [{ sku: 'A', name: 'Tee', quantity: 2, price: 19.5 }] },
    },
  },
  {
    name: 'checkout.started items unitPrice → price',
    old: {
      ...envelope,
      type: 'checkout.started',
      data: {
        checkoutId: 'x',
        currency: 'EUR',
        total: 5,
        items: [{ sku: 'A', name: 'T', quantity: 1, unitPrice: 5 }],
      },
    },
    now: {
      ...envelope,
      type: 'checkout.started',
      data: {
        checkoutId: 'x',
        currency: 'EUR',
        total: 5,
        items: [{ sku: 'A', name: 'T', quantity: 1, price: 5 }],
      },
    },
  },
  {
    name: 'order.placed channel → salesChannel',
    old: {
      ...envelope,
      type: 'order.placed',
      data: {
        orderId: 'o',
        items: [{ sku: 'A', category: 'c', price: 5, quantity: 1 }],
        total: 5,
        currency: 'EUR',
        channel: 'store',
        storeId: 's-1',
      },
    },
    now: {
      ...envelope,
      type: 'order.placed',
      data: {
        orderId: 'o',
        items: [{ sku: 'A', category: 'c', price: 5, quantity: 1 }],
        total: 5,
        currency: 'EUR',
        salesChannel: 'store',
        storeId: 's-1',
      },
    },
  },
  {
    name: 'replenishment.due lastOrderedAt → lastOrderAt',
    old: {
      ...envelope,
      type: 'replenishment.due',
      data: {
        sku: 'A',
        lastOrderedAt: '2026-10-01T09:00:00.000Z',
        runOutAt: '2026-11-30T09:00:00.000Z',
        intervalDays: 60,
        basis: 'customer',
      },
    },
    now: {
      ...envelope,
      type: 'replenishment.due',
      data: {
        sku: 'A',
        lastOrderAt: '2026-10-01T09:00:00.000Z',
        runOutAt: '2026-11-30T09:00:00.000Z',
        intervalDays: 60,
        basis: 'customer',
      },
    },
  },
  {
    name: 'season.started cohort withinDays: 365 → within: 365d',
    old: {
      eventId: 'e-2',
      occurredAt: '2026-11-27T07:00:00+01:00',
      type: 'season.started',
      data: {
        momentId: 'black-friday',
        name: 'Black Friday',
        startsAt: '2026-11-27T07:00:00+01:00',
        cohort: {
          ordered: { categories: ['shoes'], withinDays: 365 },
          viewed: { categories: ['x'], withinDays: 30 },
        },
      },
    },
    now: {
      eventId: 'e-2',
      occurredAt: '2026-11-27T07:00:00+01:00',
      type: 'season.started',
      data: {
        momentId: 'black-friday',
        name: 'Black Friday',
        startsAt: '2026-11-27T07:00:00+01:00',
        cohort: {
          ordered: { categories: ['shoes'], within: '365d' },
          viewed: { categories: ['x'], within: '30d' },
        },
      },
    },
  },
];

describe('events in the old form', () => {
  for (const { name, old, now } of CASES) {
    it(`are accepted and come out in the new form: ${name}`, () => {
      const before = structuredClone(old);
      assert.deepEqual(parseEvent(old), now);
      assert.deepEqual(old, before, 'the input is not changed in place');
      assert.deepEqual(parseEvent(now), now, 'the new form is accepted as it is');
      assert.deepEqual(normaliseEvent(now as JourneyEvent), now, 'normalising the new form changes nothing');
    });
  }

  it('an event that sends both the old and the new name is refused, naming the old one', () => {
    const both = {
      ...envelope,
      type: 'cart.updated',
      data: {
        cartId: 'k',
        currency: 'EUR',
        items: [{ sku: 'A', name: 'T', quantity: 1, unitPrice: 2, price: 2 }],
      },
    };
    assert.throws(
      () => parseEvent(both),
      (error: unknown) =>
        error instanceof InvalidEventError && /data\.items\[0\].*unitPrice/.test(error.message),
    );
  });

  it('a bad value in an old field is reported under its new name', () => {
    const bad = {
      ...envelope,
      type: 'order.placed',
      data: {
        orderId: 'o',
        items: [{ sku: 'A', category: 'c', price: 5, quantity: 1 }],
        total: 5,
        currency: 'EUR',
        channel: 'phone',
      },
    };
    assert.throws(
      () => parseEvent(bad),
      (error: unknown) =>
        error instanceof InvalidEventError &&
        error.issues.some((issue) => issue.path === 'data.salesChannel'),
    );
  });

  it('anything that is not an event passes through the normaliser untouched, for zod to judge', () => {
    for (const input of [null, 'x', 3, [], { type: 'cart.updated' }, { type: 'cart.updated', data: [] }])
      assert.equal(upgradeEvent(input), input);
  });

  it('a seasons file with withinDays is read with the window as a duration', () => {
    const moment = SeasonMoment.parse({
      id: 'winter',
      name: 'Winter',
      yearly: { date: '12-27' },
      cohort: { viewed: { categories: ['knitwear'], withinDays: 60 } },
    });
    assert.deepEqual(moment.cohort, { viewed: { categories: ['knitwear'], within: '60d' } });
    assert.throws(() =>
      SeasonMoment.parse({
        id: 'w',
        name: 'W',
        yearly: { date: '12-27' },
        cohort: { viewed: { categories: ['k'], within: '0d' } },
      }),
    );
  });
});

describe('playbooks that read an old name', () => {
  const cart = parseEvent(CASES[0]!.old);
  const order = parseEvent(CASES[2]!.old);
  const due = parseEvent(CASES[3]!.old);

  it('render the value under the new name in templates', () => {
    const text = renderTemplate(
      '{{#each trigger.data.items}}{{this.unitPrice | money:trigger.data.currency}}{{/each}}',
      { trigger: cart },
      { escape: 'none' },
    );
    assert.equal(text, '€19.50');
    assert.equal(
      renderTemplate('{{trigger.data.lastOrderedAt}}', { trigger: due }, { escape: 'none' }),
      '2026-10-01T09:00:00.000Z',
    );
  });

  it('compare the value under the new name in conditions', () => {
    assert.equal(evaluate({ field: 'event.data.channel', op: 'eq', value: 'store' }, { event: order }), true);
    assert.equal(
      evaluate({ field: 'event.data.channel', op: 'eq', value: 'online' }, { event: order }),
      false,
    );
    assert.equal(
      evaluate({ field: 'event.data.items', op: 'contains', key: 'unitPrice', value: 19.5 }, { event: cart }),
      true,
    );
  });

  it('leave a field that exists under its own name alone (consent.updated channel is email or sms)', () => {
    const consent = parseEvent({
      ...envelope,
      type: 'consent.updated',
      data: { channel: 'sms', purpose: 'marketing', granted: false },
    });
    assert.equal(evaluate({ field: 'event.data.channel', op: 'eq', value: 'sms' }, { event: consent }), true);
  });
});
