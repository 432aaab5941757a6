import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { journeyId, legacyJourneyId } from '../engine/ids/journeyKeys';
import type { HoldoutScheme } from '../engine/measurement/holdout';
import type { Profile } from '../engine/profile/profile';
import {
  nextRoutingStep,
  routingTarget,
  type LastEntry,
  type RoutingFacts,
  type RoutingStep,
  type RoutingTarget,
} from '../engine/routing/routingPlan';
import type { JourneyEvent } from '../schemas/events/schema';
import type { Playbook } from '../schemas/playbook/schema';
import { loadPlaybooks } from '../schemas/playbook/load';
import { cartUpdated, customerEvent, orderPlaced } from './support/events';
import { keyedWithCustomerGoal } from './support/keyedPlaybook';
import { cartPlaybook, TEST_HOLDOUT } from './support/timeSkipping';

/*
 * The routing rule on its own: each case drives nextRoutingStep through a small world (the runs
 * that are live, the entry head, the profile) and checks the steps it asks for, in order, and
 * where it ends. The router and the simulator carry out the same steps on their own stores.
 */

const NOW = Date.parse('2026-03-02T10:00:00Z');
const DAY = 86_400_000;

interface World {
  /** Runs that take a signal; anything else is not live. */
  live?: string[];
  /** What a query of runs entered since `everyLiveRunEnteredSince` finds. */
  recent?: string[];
  lastEntry?: LastEntry | null;
  profile?: Profile | null;
}

/** Carries out the plan against `world`, as the router would; returns the steps and the last one. */
function drive(target: RoutingTarget, world: World, scheme: HoldoutScheme = TEST_HOLDOUT) {
  const facts: RoutingFacts = {};
  const steps: RoutingStep[] = [];
  for (let i = 0; i < 10; i++) {
    const step = nextRoutingStep(target, facts, NOW, scheme);
    steps.push(step);
    switch (step.kind) {
      case 'readLastEntry':
        facts.lastEntry = world.lastEntry ?? null;
        break;
      case 'signal': {
        const every = step.everyLiveRunEnteredSince === undefined ? [] : (world.recent ?? []);
        const asked = [...every, ...step.runs.filter((id) => !every.includes(id))];
        facts.reached = asked.filter((id) => (world.live ?? []).includes(id));
        break;
      }
      case 'readProfile':
        facts.profile = world.profile ?? null;
        break;
      case 'enter':
        facts.entered = true;
        break;
      case 'done':
        return { kinds: steps.map((s) => s.kind), steps, done: step };
    }
  }
  throw new Error('routing did not end');
}

const enterStep = (steps: readonly RoutingStep[]) => {
  const step = steps.find((s) => s.kind === 'enter');
  assert.ok(step && step.kind === 'enter', 'an enter step');
  return step.entry;
};

const withEmail = (customerId: string): Profile => ({ customerId, email: `${customerId}@example.test` });

describe('routing plan', () => {
  const cart = cartPlaybook();
  const ann = journeyId(cart.id, 'ann');
  /** Ann's head: she entered yesterday, and nothing says that run ended. */
  const annEntered: LastEntry = { journeyId: ann, enteredAt: NOW - DAY, entryEventId: 'evt-earlier' };

  it('a new customer: no entry head, so no run to signal; reads, enters, starts', () => {
    const event = cartUpdated('ann');
    const { kinds, steps, done } = drive(routingTarget(cart, event, 'ann'), { profile: withEmail('ann') });
    assert.deepEqual(kinds, ['readLastEntry', 'readProfile', 'enter', 'done']);
    assert.deepEqual(enterStep(steps), {
      journeyId: ann,
      playbookId: cart.id,
      customerId: 'ann',
      entryEventId: event.eventId,
      arm: 'treatment',
      holdoutEpoch: TEST_HOLDOUT.epoch,
      enteredAt: NOW,
    });
    assert.deepEqual(done, { kind: 'done', reached: [ann], end: 'entered' });
  });

  it('a live trigger run takes the repeat: no entry, and nothing but its head is read', () => {
    const { kinds, done } = drive(routingTarget(cart, cartUpdated('ann'), 'ann'), {
      live: [ann],
      lastEntry: annEntered,
    });
    assert.deepEqual(kinds, ['readLastEntry', 'signal', 'done']);
    assert.deepEqual(done, { kind: 'done', reached: [ann], end: 'live-run' });
  });

  it('a goal reaches the live run; it enters nothing, the trigger does not match', () => {
    const { kinds, done } = drive(routingTarget(cart, orderPlaced('ann'), 'ann'), {
      live: [ann],
      lastEntry: annEntered,
      profile: withEmail('ann'),
    });
    // The run of this customer is the trigger run, so it is taken as handled.
    assert.deepEqual(kinds, ['readLastEntry', 'signal', 'done']);
    assert.deepEqual(done, { kind: 'done', reached: [ann], end: 'live-run' });
  });

  it('an event no run listens for signals nothing and enters nothing', () => {
    const event = customerEvent('store.visited', 'ann', { storeId: 's-1' });
    const { kinds, done } = drive(routingTarget(cart, event, 'ann'), { profile: withEmail('ann') });
    assert.deepEqual(kinds, ['readLastEntry', 'readProfile', 'done']);
    assert.deepEqual(done, { kind: 'done', reached: [], end: 'trigger' });
  });

  it('re-entry refused: reentry never, after an earlier entry', () => {
    const never = cartPlaybook({ entry: { ...cart.entry, reentry: 'never' } });
    const lastEntry = { journeyId: ann, enteredAt: NOW - DAY, entryEventId: 'evt-earlier' };
    const { kinds, done } = drive(routingTarget(never, cartUpdated('ann'), 'ann'), {
      lastEntry,
      profile: withEmail('ann'),
    });
    assert.deepEqual(kinds, ['readLastEntry', 'signal', 'readProfile', 'done']);
    assert.deepEqual(done, { kind: 'done', reached: [], end: 'reentry' });
  });

  it('a run its head says ended is not signalled: a goal for it touches nothing', () => {
    const closed = { ...annEntered, closed: true };
    const { kinds, done } = drive(routingTarget(cart, orderPlaced('ann'), 'ann'), {
      live: [ann], // were it signalled, it would count as reached
      lastEntry: closed,
      profile: withEmail('ann'),
    });
    assert.deepEqual(kinds, ['readLastEntry', 'readProfile', 'done']);
    assert.deepEqual(done, { kind: 'done', reached: [], end: 'trigger' });
  });

  it('after an ended run, its trigger enters anew without a signal; refused re-entry touches no run', () => {
    const closed = { ...annEntered, enteredAt: NOW - 30 * DAY, closed: true };
    const again = drive(routingTarget(cart, cartUpdated('ann'), 'ann'), {
      lastEntry: closed,
      profile: withEmail('ann'),
    });
    assert.deepEqual(again.kinds, ['readLastEntry', 'readProfile', 'enter', 'done']);
    assert.deepEqual(again.done, { kind: 'done', reached: [ann], end: 'entered' });
    const never = cartPlaybook({ entry: { ...cart.entry, reentry: 'never' } });
    const refused = drive(routingTarget(never, cartUpdated('ann'), 'ann'), {
      lastEntry: closed,
      profile: withEmail('ann'),
    });
    assert.deepEqual(refused.kinds, ['readLastEntry', 'readProfile', 'done']);
    assert.deepEqual(refused.done, { kind: 'done', reached: [], end: 'reentry' });
  });

  it('the same event routed again after a failed publish enters again, not as a re-entry', () => {
    const never = cartPlaybook({ entry: { ...cart.entry, reentry: 'never' } });
    const event = cartUpdated('ann');
    const lastEntry = { journeyId: ann, enteredAt: NOW, entryEventId: event.eventId };
    const { done } = drive(routingTarget(never, event, 'ann'), { lastEntry, profile: withEmail('ann') });
    assert.equal(done.end, 'entered');
  });

  it('holdouts: the global control group enters nothing; a 100% holdout enters in control', () => {
    const event = cartUpdated('ann');
    const everyone: HoldoutScheme = { ...TEST_HOLDOUT, epoch: 7, globalControlPercent: 100 };
    const global = drive(routingTarget(cart, event, 'ann'), { profile: withEmail('ann') }, everyone);
    assert.deepEqual(global.done, { kind: 'done', reached: [], end: 'global-control' });
    const held = cartPlaybook({ holdout: 1 });
    const { steps, done } = drive(routingTarget(held, event, 'ann'), { profile: withEmail('ann') });
    assert.equal(enterStep(steps).arm, 'control');
    assert.equal(done.end, 'entered');
  });

  it('keyed goals: an event about the customer goes to every run entered within maxDuration', () => {
    const care = keyedWithCustomerGoal();
    const o1 = journeyId(care.id, 'ann', 'o-1');
    const o2 = journeyId(care.id, 'ann', 'o-2');
    const event = orderPlaced('ann', { orderId: 'o-3' });
    const { steps, done } = drive(routingTarget(care, event, 'ann'), {
      live: [o1, o2],
      recent: [o2, o1],
      profile: withEmail('ann'),
    });
    const since = NOW - 3 * DAY;
    assert.equal(care.maxDuration, '3d');
    assert.deepEqual(steps[0], { kind: 'signal', runs: [], everyLiveRunEnteredSince: since });
    // Not the trigger of care-tips: both runs heard their goal, and no run is entered.
    assert.deepEqual(done, { kind: 'done', reached: [o2, o1], end: 'trigger' });
  });

  it('keyed: a repeat of the trigger goes only to the run of its key, and enters a new key', () => {
    const care = keyedWithCustomerGoal();
    const o1 = journeyId(care.id, 'ann', 'o-1');
    const delivered = (orderId: string) =>
      customerEvent('order.delivered', 'ann', { orderId, categories: ['apparel'] });
    const repeat = drive(routingTarget(care, delivered('o-1'), 'ann'), {
      live: [o1],
      lastEntry: { journeyId: o1, enteredAt: NOW - DAY, entryEventId: 'evt-o-1' },
    });
    assert.deepEqual(repeat.steps[1], { kind: 'signal', runs: [o1] });
    assert.deepEqual(repeat.done, { kind: 'done', reached: [o1], end: 'live-run' });
    const other = drive(routingTarget(care, delivered('o-2'), 'ann'), {
      live: [o1],
      profile: withEmail('ann'),
    });
    const o2 = journeyId(care.id, 'ann', 'o-2');
    assert.equal(enterStep(other.steps).keyValue, 'o-2');
    assert.deepEqual(other.done, { kind: 'done', reached: [o2], end: 'entered' });
  });

  it('a run under its pre-escaping ID: the head is read first, that run is signalled and handles the repeat', () => {
    const customerId = 'shop:ann';
    const escaped = journeyId(cart.id, customerId);
    const legacy = legacyJourneyId(cart.id, customerId);
    assert.notEqual(escaped, legacy);
    const lastEntry = { journeyId: legacy, enteredAt: NOW - DAY, entryEventId: 'evt-old' };
    const { kinds, steps, done } = drive(routingTarget(cart, cartUpdated(customerId), customerId), {
      live: [legacy],
      lastEntry,
    });
    assert.deepEqual(kinds, ['readLastEntry', 'signal', 'done']);
    assert.deepEqual(steps[1], { kind: 'signal', runs: [escaped, legacy] });
    assert.deepEqual(done, { kind: 'done', reached: [legacy], end: 'live-run' });
  });

  it('such a customer with no earlier entry reads the head once and enters under the escaped ID', () => {
    const customerId = 'shop:bob';
    const escaped = journeyId(cart.id, customerId);
    const { kinds, done } = drive(routingTarget(cart, cartUpdated(customerId), customerId), {
      profile: withEmail(customerId),
    });
    assert.deepEqual(kinds, ['readLastEntry', 'readProfile', 'enter', 'done']);
    assert.deepEqual(done, { kind: 'done', reached: [escaped], end: 'entered' });
  });

  describe('fan-out: a catalog event routed to each customer it reaches', () => {
    const priceDrop = loadPlaybooks(`${__dirname}/../playbooks`).find((p) => p.id === 'price-drop');
    assert.ok(priceDrop);
    const playbook: Playbook = { ...priceDrop, holdout: 0 };
    const event: JourneyEvent = {
      type: 'product.price_dropped',
      eventId: 'evt-drop-1',
      occurredAt: new Date(NOW).toISOString(),
      data: { sku: 'SKU-1', oldPrice: 30, newPrice: 20, currency: 'EUR' },
    };
    const run = journeyId(playbook.id, 'ann', 'SKU-1');

    it('enters the customer under their own run of the product', () => {
      const { steps, done } = drive(routingTarget(playbook, event, 'ann'), { profile: withEmail('ann') });
      // Never entered: no head, so no run to signal.
      assert.deepEqual(steps[0], { kind: 'readLastEntry' });
      assert.equal(enterStep(steps).customerId, 'ann');
      assert.deepEqual(done, { kind: 'done', reached: [run], end: 'entered' });
    });

    it('within the cooldown, refuses; outside the audience, refuses on the trigger', () => {
      const lastEntry = { journeyId: run, enteredAt: NOW - 3 * DAY, entryEventId: 'evt-drop-0' };
      const cooling = drive(routingTarget(playbook, event, 'ann'), { lastEntry, profile: withEmail('ann') });
      assert.equal(cooling.done.end, 'reentry');
      const noContact = drive(routingTarget(playbook, event, 'ann'), { profile: { customerId: 'ann' } });
      assert.equal(noContact.done.end, 'trigger');
    });
  });
});
