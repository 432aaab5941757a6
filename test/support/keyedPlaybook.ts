import type { Playbook } from '../../schemas/playbook/schema';
import { loadPlaybooks } from '../../schemas/playbook/load';

/**
 * The shipped care-tips playbook (one run per delivered order, `entry.key: event.data.orderId`) with a
 * goal about the customer, not the order: any new order ends every run. The example.
 */
export function keyedWithCustomerGoal(): Playbook {
  const care = loadPlaybooks(`${__dirname}/../../playbooks`).find((p) => p.id === 'care-tips');
  if (!care) throw new Error('the care-tips playbook is missing');
  return {
    ...care,
    holdout: 0,
    exit: { goals: [...(care.exit?.goals ?? []), { event: 'order.placed' }] },
  };
}
