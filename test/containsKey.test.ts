import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../engine/interpreter/context';
import type { JourneyEvent } from '../schemas/events/schema';
import { loadPlaybooks } from '../schemas/playbook/load';
import { validatePlaybook } from '../schemas/playbook/validate';
import { orderPlaced } from './support/events';

/* `contains` with `key`: an order holding the trigger's product, as replenishment's goal reads it. */

const due: JourneyEvent = {
  eventId: 'e-due',
  type: 'replenishment.due',
  customerId: 'c-1',
  occurredAt: '2026-05-01T09:00:00.000Z',
  data: {
    sku: 'SKU-BEANS',
    lastOrderAt: '2026-04-01T09:00:00.000Z',
    runOutAt: '2026-05-03T09:00:00.000Z',
    intervalDays: 32,
    basis: 'customer',
  },
};
const holds = {
  field: 'event.data.items',
  op: 'contains',
  key: 'sku',
  value: { ref: 'trigger.data.sku' },
} as const;
const item = (sku: string) => ({ sku, category: 'coffee', price: 10, quantity: 1 });

describe('contains with key', () => {
  it('matches a list of objects holding an item whose field equals the value', () => {
    const both = orderPlaced('c-1', { items: [item('SKU-MUG'), item('SKU-BEANS')] });
    const other = orderPlaced('c-1', { items: [item('SKU-MUG')] });
    assert.equal(evaluate(holds, { event: both, trigger: due }), true);
    assert.equal(evaluate(holds, { event: other, trigger: due }), false);
    // A missing value never matches an item that lacks the field.
    assert.equal(
      evaluate({ ...holds, value: { ref: 'trigger.data.nothing' } }, { event: other, trigger: due }),
      false,
    );
  });

  it("is checked against the items' fields when a playbook is validated", () => {
    const [replenishment] = loadPlaybooks(`${__dirname}/../playbooks`).filter(
      (p) => p.id === 'replenishment',
    );
    assert.ok(replenishment);
    const { issues } = validatePlaybook({
      ...replenishment,
      exit: { goals: [{ event: 'order.placed', where: { ...holds, key: 'skuu' } }] },
    });
    assert.ok(
      issues.some(
        (issue) => issue.path === 'exit.goals[0].where.field' && /items\[\]\.skuu/.test(issue.message),
      ),
      JSON.stringify(issues),
    );
  });
});
