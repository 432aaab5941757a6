import {
  condition,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { JourneyActivities, DeliveryContext } from '../activities';
import {
  applyEvent,
  beginDelivery,
  finish,
  planDelivery,
  reminderKey,
  REMINDER_STEP,
  startCartJourney,
  type CartJourneyInput,
  type CartJourneyState,
  type JourneyOutcome,
} from '../engine/cartJourney';
import { renderCartReminderEmail, renderCartReminderSms } from '../engine/render/cartReminder';
import { eventSignal, stateQuery } from './messages';
import { Arm, Step } from './searchAttributes';

const { loadContact, sendEmail, sendSms, recordSuppression } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** How long a run started without its triggering event waits for it before giving up. */
const TRIGGER_GRACE = '1 minute';

/**
 * Cart abandonment: wait after the last cart update, exit on an order, otherwise remind once.
 * All decisions are made by the pure state machine in engine/cartJourney; this function only
 * feeds it events and time and carries out what it decides.
 */
export async function cartAbandonmentWorkflow(input: CartJourneyInput): Promise<JourneyOutcome> {
  let state = startCartJourney(input);
  setHandler(eventSignal, (event) => {
    state = applyEvent(state, event, Date.now()).state;
  });
  setHandler(stateQuery, () => state);
  upsertSearchAttributes([{ key: Arm, value: state.arm }]);

  if (!(await condition(() => state.phase !== 'awaiting-cart', TRIGGER_GRACE))) {
    return conclude(finish(state, { kind: 'no-trigger' }));
  }

  // Each cart update moves dueAt; wake on the timer or on any new event and re-evaluate.
  while (state.phase === 'waiting') {
    show(state);
    const dueAt = state.dueAt ?? Date.now();
    const seen = state.seenEventIds.length;
    await condition(
      () => state.phase !== 'waiting' || state.seenEventIds.length !== seen,
      Math.max(dueAt - Date.now(), 1),
    );
    state = beginDelivery(state, Date.now());
  }
  if (state.phase === 'done') return conclude(state);

  show(state);
  return conclude(await deliverReminder(state));
}

async function deliverReminder(state: CartJourneyState): Promise<CartJourneyState> {
  const { cart, entryEventId } = state;
  if (cart === undefined || entryEventId === undefined) throw new Error('delivering without a cart');
  const idempotencyKey = reminderKey(state);
  const context: DeliveryContext = {
    idempotencyKey,
    customerId: state.customerId,
    playbookId: state.playbook.id,
    playbookVersion: state.playbook.version,
    journeyId: workflowInfo().workflowId,
    entryEventId,
    step: REMINDER_STEP,
    arm: state.arm,
  };
  const contact = await loadContact(state.customerId);
  const content = contact.firstName === undefined ? { cart } : { cart, firstName: contact.firstName };
  const plan = planDelivery(state, contact);

  if (plan.action === 'suppress') {
    const subject = plan.channel === 'email' ? renderCartReminderEmail(content).subject : undefined;
    await recordSuppression({ context, reason: plan.reason, channel: plan.channel, to: plan.to, subject });
    return finish(state, { kind: 'suppressed', reason: plan.reason, idempotencyKey });
  }
  if (plan.channel === 'email') {
    await sendEmail({ context, to: plan.to, message: renderCartReminderEmail(content) });
  } else {
    await sendSms({ context, to: plan.to, body: renderCartReminderSms(content) });
  }
  return finish(state, { kind: 'delivered', channel: plan.channel, idempotencyKey });
}

function show(state: CartJourneyState): void {
  upsertSearchAttributes([{ key: Step, value: state.phase }]);
  const due = state.dueAt === undefined ? '' : `; reminder due ${new Date(state.dueAt).toISOString()}`;
  setCurrentDetails(`**${state.phase}** · arm ${state.arm} · ${state.cart?.items.length ?? 0} items${due}`);
}

function conclude(state: CartJourneyState): JourneyOutcome {
  show(state);
  return state.outcome ?? { kind: 'no-trigger' };
}
