import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signalCurrentRun } from '../router/signalCurrentRun';
import { journeyId } from '../engine/interpreter/entry';
import type { JourneyEvent } from '../schemas/events/schema';
import type { Playbook } from '../schemas/playbook/schema';
import { upsertProfile } from '../store/profiles';
import type { JourneyInput, JourneyResult } from '../workflows/journey';
import { uniqueId } from './support/events';
import { cartPlaybook, startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * Runs in flight across the renames of issue 15 (unitPrice → price and the others, see
 * engine/events/renamedFields.ts). A run started before them holds its playbook and its trigger in
 * the old form in its recorded input; after the upgrade, the router signals events in the new form,
 * and a signal recorded before it carries the old one. Started here straight on Temporal with
 * those inputs, as the old router did, and the reminder email says what each item costs.
 */
describe('runs in flight across the event renames', () => {
  let h: TimeSkippingHarness;

  before(async () => {
    h = await startTimeSkippingHarness('event-renames');
  });
  after(async () => {
    await h?.close();
  });

  /** The cart playbook as it shipped before the renames: its templates read `this.unitPrice`. */
  function oldCartPlaybook(): Playbook {
    const shipped = cartPlaybook();
    const templates = Object.fromEntries(
      Object.entries(shipped.templates).map(([name, template]) => [
        name,
        JSON.parse(JSON.stringify(template).replaceAll('this.price', 'this.unitPrice')) as typeof template,
      ]),
    );
    assert.match(JSON.stringify(templates), /this\.unitPrice/);
    return { ...shipped, templates };
  }

  /** A cart.updated with a `unitPrice` per item, as producers sent it before. */
  function oldFormCart(customerId: string, items: { sku: string; name: string; unitPrice: number }[]) {
    return {
      type: 'cart.updated',
      eventId: uniqueId('evt-cart'),
      customerId,
      occurredAt: new Date().toISOString(),
      data: {
        cartId: `cart-${customerId}`,
        currency: 'EUR',
        items: items.map((item) => ({ ...item, quantity: 1 })),
      },
    };
  }

  async function startRun(
    playbook: Playbook,
    trigger: (customerId: string) => object,
  ): Promise<{ id: string; email: string }> {
    const email = `${uniqueId('ines')}@example.test`;
    const id = uniqueId('cust');
    await upsertProfile(h.servers.collections.profiles, id, { firstName: 'Ines', email }, new Date());
    const input: JourneyInput = {
      schemaVersion: 1,
      playbook,
      customerId: id,
      arm: 'treatment',
      // Recorded by the router before the renames: the old form, which no longer type-checks.
      trigger: trigger(id) as JourneyEvent,
    };
    await h.env.client.workflow.start('journeyWorkflow', {
      workflowId: journeyId(playbook.id, id),
      taskQueue: h.taskQueue,
      args: [input],
    });
    return { id, email };
  }

  async function reminderText(playbookId: string, id: string, email: string): Promise<string> {
    const handle = h.env.client.workflow.getHandle(journeyId(playbookId, id));
    const { outcome } = (await handle.result()) as JourneyResult;
    assert.deepEqual(outcome, { status: 'completed' });
    const mails = h.servers.smtp.messages.filter((m) => m.to.includes(email));
    assert.equal(mails.length, 1, 'one reminder');
    return mails[0]!.text;
  }

  it('an old playbook reads a cart signalled in the new form by its old field names', async () => {
    const playbook = oldCartPlaybook();
    const { id, email } = await startRun(playbook, (customerId) =>
      oldFormCart(customerId, [{ sku: 'SKU-TEE-01', name: 'Organic cotton tee', unitPrice: 19.5 }]),
    );
    // After the upgrade the router signals the repeat in the new form; the wait restarts with it.
    const update = {
      ...oldFormCart(id, []),
      data: {
        cartId: `cart-${id}`,
        currency: 'EUR',
        items: [{ sku: 'SKU-CAP-07', name: 'Canvas cap', quantity: 1, price: 30 }],
      },
    };
    assert.ok(await signalCurrentRun(h.env.client, journeyId(playbook.id, id), update as JourneyEvent));
    const text = await reminderText(playbook.id, id, email);
    assert.match(text, /- 1 × Canvas cap \(SKU-CAP-07\): €30\.00 each/);
  });

  it('a trigger and a signal recorded in the old form are read in the new form', async () => {
    const playbook = cartPlaybook();
    assert.match(JSON.stringify(playbook.templates), /this\.price/);
    const { id, email } = await startRun(playbook, (customerId) =>
      oldFormCart(customerId, [{ sku: 'SKU-TEE-01', name: 'Organic cotton tee', unitPrice: 19.5 }]),
    );
    const text = await reminderText(playbook.id, id, email);
    assert.match(text, /- 1 × Organic cotton tee \(SKU-TEE-01\): €19\.50 each/);
  });

  it('an old-form signal restarts the wait with its contents, prices read', async () => {
    const playbook = cartPlaybook();
    const { id, email } = await startRun(playbook, (customerId) =>
      oldFormCart(customerId, [{ sku: 'SKU-TEE-01', name: 'Organic cotton tee', unitPrice: 19.5 }]),
    );
    const update = oldFormCart(id, [{ sku: 'SKU-CAP-07', name: 'Canvas cap', unitPrice: 24 }]);
    assert.ok(await signalCurrentRun(h.env.client, journeyId(playbook.id, id), update as JourneyEvent));
    const text = await reminderText(playbook.id, id, email);
    assert.match(text, /- 1 × Canvas cap \(SKU-CAP-07\): €24\.00 each/);
    assert.doesNotMatch(text, /Organic cotton tee/);
  });
});
