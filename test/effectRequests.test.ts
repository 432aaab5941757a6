import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { offerRequest, scoringRequest } from '../engine/interpreter/offerRequest';
import { startRun } from '../engine/interpreter/run';
import { slotInput, slotRequest, slotResult } from '../engine/interpreter/slotReservation';
import type { Effect, RunState } from '../engine/interpreter/types';
import type { JourneyEvent } from '../schemas/events/schema';
import { Offer } from '../schemas/offers/schema';
import { Playbook } from '../schemas/playbook/schema';
import { CapRule, OfferSettings } from '../schemas/policy/schema';
import { simulate } from '../simulator/simulate';
import { CAP, cartUpdated, TEE } from './support/events';
import { cartPlaybook, TEST_HOLDOUT } from './support/timeSkipping';

/*
 * The effect → request → run input mappings the workflow's and the simulator's perform() share
 * (engine/interpreter/offerRequest.ts, slotReservation.ts).
 */

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MINUTE).toISOString();

/** A run of the cart playbook, entered at T0, whose last profile read said `gold`. */
function goldRun(): RunState {
  const { state } = startRun(
    {
      playbook: cartPlaybook(),
      journeyId: 'journey:cart:ann',
      customerId: 'ann',
      trigger: cartUpdated('ann'),
      arm: 'treatment',
    },
    T0,
  );
  return { ...state, profile: { customerId: 'ann', loyaltyTier: 'gold' }, visits: { offer: 2 } };
}

describe('the decideOffer request', () => {
  it('carries the run, the step key of this visit, the time and the tier of the last profile read', () => {
    const state = goldRun();
    const effect: Extract<Effect, { type: 'decideOffer' }> = {
      type: 'decideOffer',
      stepId: 'offer',
      kinds: ['discount'],
      value: { shortTerm: 1, longTerm: 2 },
    };
    assert.deepEqual(offerRequest(effect, state, T0 + MINUTE), {
      decisionKey: `${state.runKey}:offer#2`,
      customerId: 'ann',
      playbookId: 'cart-abandonment',
      journeyId: 'journey:cart:ann',
      arm: 'treatment',
      trigger: state.trigger,
      at: T0 + MINUTE,
      kinds: ['discount'],
      value: { shortTerm: 1, longTerm: 2 },
      loyaltyTier: 'gold',
    });
    const bare = offerRequest(
      { type: 'decideOffer', stepId: 'offer' },
      { ...state, profile: { customerId: 'ann' } },
      T0,
    );
    assert.deepEqual(Object.keys(bare).sort(), [
      'arm',
      'at',
      'customerId',
      'decisionKey',
      'journeyId',
      'playbookId',
      'trigger',
    ]);
  });

  it('is scored on the trigger basket and the grants the caller found', () => {
    const request = offerRequest({ type: 'decideOffer', stepId: 'offer' }, goldRun(), T0);
    const scoring = scoringRequest(request, OfferSettings.parse({ defaultCostRatio: 0.5 }), { 'gold-10': 1 });
    assert.equal(scoring.decisionKey, request.decisionKey);
    assert.deepEqual(scoring.customerGrants, { 'gold-10': 1 });
    assert.equal(scoring.loyaltyTier, 'gold');
    // The cart's tee and cap, costed at the settings' default ratio.
    const value = TEE.quantity * TEE.price + CAP.quantity * CAP.price;
    assert.equal(scoring.basket.value, value);
    assert.equal(scoring.basket.cost, value / 2);
  });

  it('in the simulator, as in the workflow, the tier is the one the run last read, not a later change', () => {
    const playbook = Playbook.parse({
      ...cartPlaybook(),
      steps: [
        { id: 'wait', type: 'wait', duration: '1h' },
        { id: 'offer', type: 'decideOffer' },
        { id: 'reminder', type: 'send', channel: 'email', template: 'reminder' },
      ],
    });
    const offers = [
      Offer.parse({
        offerId: 'gold-10',
        kind: 'discount',
        title: 'Gold 10%',
        discountPercent: 10,
        eligibleTiers: ['gold'],
      }),
    ];
    const events: JourneyEvent[] = [
      {
        type: 'customer.upserted',
        eventId: 'e-1',
        customerId: 'ann',
        occurredAt: at(0),
        data: { email: 'ann@example.test' },
      },
      { ...cartUpdated('ann'), eventId: 'e-2', occurredAt: at(1) },
      // Gold while the run waits: the run read its profile at entry and does not read it again
      // before the offer (engine/interpreter/run.ts), so the workflow asks without a tier.
      {
        type: 'loyalty.tier_changed',
        eventId: 'e-3',
        customerId: 'ann',
        occurredAt: at(30),
        data: { to: 'gold' },
      },
    ];
    const { decisions } = simulate(events, { playbooks: [playbook], holdout: TEST_HOLDOUT, offers });
    const send = decisions.find((d) => d.action === 'send');
    assert.ok(send, 'the reminder is sent');
    assert.equal(send.offerId, undefined);
  });
});

describe('the reserveSlot request and answer', () => {
  const rule = CapRule.parse({ channel: 'email', max: 1, window: { rolling: '1d' } });
  const effect: Extract<Effect, { type: 'reserveSlot' }> = {
    type: 'reserveSlot',
    stepId: 'reminder',
    idempotencyKey: 'k-1',
    channel: 'email',
    transactional: false,
    caps: [rule],
    calendar: { timeZone: 'Europe/Paris', weekStartsOn: 'mon' },
    tags: ['abandonment'],
    arbitration: { windowMs: 1000, priority: 80, expectedValue: 3 },
  };

  it("asks for the run's customer and playbook under the send's key, at the run's time", () => {
    assert.deepEqual(slotRequest(effect, goldRun(), T0), {
      customerId: 'ann',
      playbookId: 'cart-abandonment',
      key: 'k-1',
      channel: 'email',
      transactional: false,
      caps: [rule],
      calendar: { timeZone: 'Europe/Paris', weekStartsOn: 'mon' },
      at: T0,
      tags: ['abandonment'],
      arbitration: { windowMs: 1000, priority: 80, expectedValue: 3 },
    });
  });

  it('words a refusal by its cap, and hands each answer to the run', () => {
    const refused = slotResult({
      status: 'refused',
      refusal: { ok: false, rule, count: 1, freesAt: T0 + 5 },
      winner: 'vip-early-access',
    });
    assert.deepEqual(refused, {
      reserved: false,
      rule: 'email ≤ 1 per 1d',
      freesAt: T0 + 5,
      count: 1,
      winner: 'vip-early-access',
    });
    assert.deepEqual(slotInput(refused), {
      kind: 'slotRefused',
      rule: 'email ≤ 1 per 1d',
      freesAt: T0 + 5,
      count: 1,
      winner: 'vip-early-access',
    });
    assert.deepEqual(slotInput(slotResult({ status: 'reserved', duplicate: false })), {
      kind: 'slotReserved',
    });
    assert.deepEqual(slotInput(slotResult({ status: 'pending', decideAt: T0 + 9 })), {
      kind: 'slotPending',
      until: T0 + 9,
    });
    // A result recorded before arbitration has no count: the run's input has none either.
    assert.deepEqual(slotInput({ reserved: false, rule: 'email ≤ 1 per 1d', freesAt: T0 }), {
      kind: 'slotRefused',
      rule: 'email ≤ 1 per 1d',
      freesAt: T0,
    });
  });
});
