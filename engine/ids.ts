/**
 * Workflow IDs are business keys, so a second event for the same customer and playbook reaches
 * the running journey instead of starting another: `journey:<playbookId>:<customerId>`.
 */
export function journeyWorkflowId(playbookId: string, customerId: string): string {
  return `journey:${playbookId}:${customerId}`;
}

/**
 * The idempotency key of one message: the journey run (identified by the event that entered it),
 * and the step. It is independent of Temporal's activity attempts, so a retried activity or a
 * replayed workflow finds the same key and never sends twice.
 */
export function deliveryKey(
  playbookId: string,
  customerId: string,
  entryEventId: string,
  step: string,
): string {
  return `${playbookId}:${customerId}:${entryEventId}:${step}`;
}
