import assert from 'node:assert/strict';
import type { JourneyClient } from '../../router/journeyClient';
import type { CapturedEmail } from '../../tools/devstack/smtpSink';
import { journeyId } from '../../engine/interpreter/entry';
import type { Decision } from '../../engine/interpreter/types';
import type { Profile } from '../../engine/profile/profile';
import type { CatalogEvent, JourneyEvent } from '../../schemas/events/schema';
import { loadPlaybooks } from '../../schemas/playbook/load';
import type { Playbook } from '../../schemas/playbook/schema';
import { upsertProfile } from '../../store/profiles';
import type { JourneyResult } from '../../workflows/journey';
import { uniqueId } from './events';
import type { TimeSkippingHarness } from './timeSkipping';

/*
 * One shape for the tests of the shipped playbooks: each playbook says how its run starts, which
 * send it makes after which wait, what the message says and which goal ends it; the runner proves
 * the same four things for each (entry and wait, content, goal exit, holdout) on the real servers.
 */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A playbook as shipped in playbooks/, with the test's holdout share. */
export function shippedPlaybook(id: string, holdout: number): Playbook {
  const playbook = loadPlaybooks(`${__dirname}/../../playbooks`).find((p) => p.id === id);
  if (!playbook) throw new Error(`playbooks/ has no playbook "${id}"`);
  return { ...playbook, holdout };
}

export function catalogEvent<T extends CatalogEvent>(type: T['type'], data: T['data']): T {
  return { type, eventId: uniqueId(`evt-${type}`), occurredAt: new Date().toISOString(), data } as T;
}

export const emailOf = (customerId: string) => `${customerId}@example.test`;

export interface PlaybookCase {
  id: string;
  /** The send step, and the least run time that must pass before it (its wait). */
  send: { step: string; after: number };
  /** Profile fields beyond an email and a first name. */
  profile?: Omit<Profile, 'customerId'>;
  /** Publishes what the run needs beforehand (views, first orders) and returns its trigger. */
  start(client: JourneyClient, customerId: string): JourneyEvent | Promise<JourneyEvent>;
  /** The entry key's value for the trigger, when the playbook declares one. */
  key?(trigger: JourneyEvent): string;
  /** The goal event that ends the run during its wait. */
  goal(customerId: string, trigger: JourneyEvent): JourneyEvent;
  /** Asserts the content of the email the customer received. */
  checkMail(mail: CapturedEmail, trigger: JourneyEvent): void;
}

export function playbookScenarios(harness: () => TimeSkippingHarness) {
  const mailTo = (customerId: string) =>
    harness().servers.smtp.messages.filter((m) => m.to.includes(emailOf(customerId)));

  async function customer(c: PlaybookCase, prefix: string, fields = c.profile): Promise<string> {
    const id = uniqueId(prefix);
    const profile = { email: emailOf(id), firstName: 'Ada', ...fields };
    await upsertProfile(harness().servers.collections.profiles, id, profile, new Date());
    return id;
  }

  /** Starts a run of `c` for a new customer; returns the customer, the trigger and the run's ID. */
  async function enter(c: PlaybookCase, holdout: number, fields?: Omit<Profile, 'customerId'>) {
    const client = harness().clientWith(shippedPlaybook(c.id, holdout));
    const customerId = await customer(c, c.id, fields ?? c.profile);
    const trigger = await c.start(client, customerId);
    const run = journeyId(c.id, customerId, c.key?.(trigger));
    assert.ok((await client.publishEvent(trigger)).deliveredTo.includes(run), `${run} did not start`);
    return { client, customerId, trigger, run };
  }

  const result = (run: string) =>
    harness().env.client.workflow.getHandle(run).result() as Promise<JourneyResult>;

  const at = (decision: Decision | undefined) => Date.parse(decision?.at ?? 'missing');

  return {
    mailTo,
    enter,
    result,
    /** The run enters, waits, then sends the email, whose content the case checks. */
    async sendsAfterItsWait(c: PlaybookCase): Promise<void> {
      const { customerId, trigger, run } = await enter(c, 0);
      const { outcome, decisions } = await result(run);
      assert.equal(outcome.status, 'completed', JSON.stringify(outcome));
      const entered = decisions.find((d) => d.action === 'enter');
      assert.equal(entered?.reason, `trigger:${trigger.type}`);
      const sent = decisions.find((d) => d.step === c.send.step && d.action === 'send');
      assert.ok(sent, `no send at ${c.send.step}: ${JSON.stringify(decisions)}`);
      const waited = at(sent) - at(entered);
      assert.ok(waited >= c.send.after, `sent ${waited} ms after entering, before the wait`);
      // The run's clock never runs behind the producer's: the trigger happened before the send too.
      assert.ok(at(sent) - Date.parse(trigger.occurredAt) >= c.send.after);
      const mails = mailTo(customerId);
      assert.equal(mails.length, 1, `${mails.length} emails`);
      c.checkMail(mails[0]!, trigger);
    },
    /** The goal published during the wait ends the run at once; nothing is sent, then or later. */
    async exitsOnItsGoal(c: PlaybookCase): Promise<void> {
      const { client, customerId, trigger, run } = await enter(c, 0);
      const goal = c.goal(customerId, trigger);
      assert.ok((await client.publishEvent(goal)).deliveredTo.includes(run), 'the goal missed the run');
      const { outcome, decisions } = await result(run);
      assert.deepEqual(outcome, { status: 'exited', reason: `goal:${goal.type}`, eventId: goal.eventId });
      assert.deepEqual(
        decisions.filter((d) => d.action === 'send' || d.action === 'holdout'),
        [],
      );
      assert.equal(mailTo(customerId).length, 0);
    },
    /** A holdout customer enters and gets nothing; the send it would have got is recorded. */
    async holdsOut(c: PlaybookCase): Promise<void> {
      const { customerId, run } = await enter(c, 1);
      const { decisions } = await result(run);
      assert.deepEqual(
        decisions.filter((d) => d.action === 'holdout' || d.action === 'send').map((d) => [d.step, d.action]),
        [[c.send.step, 'holdout']],
      );
      assert.equal(mailTo(customerId).length, 0);
      const record = await harness().servers.collections.deliveries.findOne({ customerId });
      assert.equal(record?.reason, 'holdout');
      assert.equal(record?.arm, 'control');
    },
  };
}
