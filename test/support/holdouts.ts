import type { Arm } from '../../engine/measurement/holdout';
import type { Decision } from '../../engine/interpreter/types';
import type { CartUpdated, CustomerUpserted } from '../../schemas/events/schema';
import { Playbook } from '../../schemas/playbook/schema';
import { cartPlaybook } from './playbooks';

/*
 * What the holdout parity tests share: a playbook whose only step is a send, so a run's arm shows
 * in its one decision (`send` or `holdout`), and the events that enter a customer into it.
 */

/** One email send at entry, with the given holdout; no exit goal, so every run ends at its send. */
export function oneSendPlaybook(id: string, holdout: number): Playbook {
  const { exit: _exit, ...base } = cartPlaybook();
  return Playbook.parse({
    ...base,
    id,
    name: id,
    holdout,
    steps: [{ id: 'reminder', type: 'send', channel: 'email', template: 'reminder' }],
  });
}

/** A profile with an email (a control send is recorded as `holdout` only when it could have gone out). */
export function profileEvent(customerId: string, at: string, eventId: string): CustomerUpserted {
  return {
    type: 'customer.upserted',
    eventId,
    customerId,
    occurredAt: at,
    data: { email: `${customerId}@example.test` },
  };
}

export function triggerEvent(customerId: string, at: string, eventId: string): CartUpdated {
  return {
    type: 'cart.updated',
    eventId,
    customerId,
    occurredAt: at,
    data: {
      cartId: `cart-${customerId}`,
      currency: 'EUR',
      items: [{ sku: 'SKU-1', name: 'Tee', quantity: 1, price: 10 }],
    },
  };
}

/** `<playbookId> <customerId>` → arm, read from the runs' send decisions; absent: never entered. */
export function armsOf(decisions: readonly Decision[]): Map<string, Arm> {
  const arms = new Map<string, Arm>();
  for (const d of decisions) {
    if (d.action === 'holdout') arms.set(`${d.playbookId} ${d.customerId}`, 'control');
    else if (d.action === 'send') arms.set(`${d.playbookId} ${d.customerId}`, 'treatment');
  }
  return arms;
}
