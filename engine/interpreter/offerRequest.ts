import type { JourneyEvent } from '../../schemas/events/schema';
import type { OfferKind } from '../../schemas/offers/schema';
import type { OfferSettings } from '../../schemas/policy/schema';
import type { Arm } from '../measurement/holdout';
import { triggerBasket } from '../offers/basket';
import type { OfferRequest } from '../offers/model';
import { stepKey } from './stepKey';
import type { Effect, RunState } from './types';

/*
 * A run's decideOffer effect, as the question put to the offer decision: the workflow sends it to
 * the decideOffer activity, the simulator scores it in memory, and both go through these two
 * functions, so a field added to one side cannot be missing on the other.
 */

/** What the decideOffer activity is asked: JSON-safe, recorded in the run's history. */
export interface DecideOfferInput {
  /** The decision's own key (`<runKey>:<step>[#visit]`): seeds exploration and names the grant. */
  decisionKey: string;
  customerId: string;
  playbookId: string;
  journeyId: string;
  arm: Arm;
  trigger: JourneyEvent;
  kinds?: OfferKind[];
  loyaltyTier?: string;
  /** How the step weighs short-term revenue against long-term value. */
  value?: { shortTerm: number; longTerm: number };
  /** The run's time of decision (epoch ms): validity dates are judged then. */
  at: number;
}

/** The request for a run's decideOffer effect at `at`; the loyalty tier is the run's last-read profile's. */
export function offerRequest(
  effect: Extract<Effect, { type: 'decideOffer' }>,
  state: RunState,
  at: number,
): DecideOfferInput {
  const tier = state.profile?.loyaltyTier;
  return {
    decisionKey: stepKey(state, effect.stepId),
    customerId: state.customerId,
    playbookId: state.playbookId,
    journeyId: state.journeyId,
    arm: state.arm,
    trigger: state.trigger,
    at,
    ...(effect.kinds && { kinds: effect.kinds }),
    ...(effect.value && { value: effect.value }),
    ...(tier !== undefined && { loyaltyTier: tier }),
  };
}

/**
 * The request as the scoring reads it (engine/offers/decide.ts): the trigger's basket, and how often
 * the customer was already granted each offer, which the caller looks up in its own store.
 */
export function scoringRequest(
  input: DecideOfferInput,
  settings: OfferSettings,
  customerGrants: Readonly<Record<string, number>>,
): OfferRequest {
  return {
    decisionKey: input.decisionKey,
    customerId: input.customerId,
    at: input.at,
    basket: triggerBasket(input.trigger, settings),
    customerGrants,
    ...(input.kinds !== undefined && { kinds: input.kinds }),
    ...(input.loyaltyTier !== undefined && { loyaltyTier: input.loyaltyTier }),
    ...(input.value !== undefined && { value: input.value }),
  };
}
