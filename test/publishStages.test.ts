import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { publishStages } from '../router/publishStages';

const event = (customerId: string | undefined, eventId: string) => ({
  type: customerId === undefined ? 'product.back_in_stock' : 'cart.updated',
  eventId,
  ...(customerId !== undefined && { customerId }),
});

/* A batch is published customer by customer side by side, keeping each customer's order. */
describe('publish stages of a batch', () => {
  it('puts each customer in one lane, in the order given', () => {
    const stages = publishStages([event('a', '1'), event('b', '2'), event('a', '3'), event('c', '4')]);
    assert.deepEqual(stages, [[[0, 2], [1], [3]]]);
  });

  it('publishes an event without a customer on its own, after what came before and before what follows', () => {
    const stages = publishStages([event('a', '1'), event(undefined, '2'), event('a', '3'), 'not an event']);
    assert.deepEqual(stages, [[[0]], [[1]], [[2]], [[3]]]);
  });

  it('judges an eventId repeated for another customer after its first use', () => {
    const stages = publishStages([event('a', 'same'), event('b', 'other'), event('b', 'same')]);
    assert.deepEqual(stages, [[[0], [1]], [[2]]]);
  });
});
