import type { Playbook, Step } from '../../schemas/playbook/schema';
import type { Product } from '../catalog/product';
import type { DecisionLog } from './decisionLog';
import { staleReason } from './recheck';
import { planRoute } from './route';
import { stepKey } from './stepKey';
import { customerTimeZone, quietUntil } from './sendPolicy';
import type { Decision, Effect, RunPolicy, RunState } from './types';

/*
 * Planning one send: re-check, route and consent, holdout, then the contact policy (quiet hours,
 * then a cap reservation through arbitration). Part of the interpreter, split out of run.ts so the
 * step machine and the send policy each read on their own.
 */

/**
 * Decides what a send step does with the freshly loaded profile (and, for a recheck that reads the
 * catalog, the freshly loaded products), and asks the driver to do it.
 */
export function planSend(
  playbook: Playbook,
  state: RunState,
  step: Extract<Step, { type: 'send' }>,
  log: DecisionLog,
  now: number,
  products: readonly Product[],
): RunState {
  const idempotencyKey = stepKey(state, step.id);
  const template = playbook.templates[step.template] ?? {};
  const base = { type: 'deliver' as const, stepId: step.id, idempotencyKey, template, purpose: step.purpose };
  const route = planRoute(
    state.profile ?? { customerId: state.customerId },
    step.channel,
    step.fallback,
    step.purpose,
    state.policy?.marketingRequiresOptIn ?? [],
  );
  const offerId = state.offer?.offerId;
  const extra = offerId === undefined ? {} : { offerId };
  let effect: Extract<Effect, { type: 'deliver' }>;
  // Staleness comes first: a message that is no longer true is not sent to anyone, and a control
  // customer's record says so rather than `holdout`, so the arms stay comparable.
  const stale = staleReason(step, state, products);
  if (stale !== undefined) {
    const routed = 'blocked' in route ? {} : { channel: route.channel, to: route.to };
    log.add('suppress', step.id, { channel: routed.channel ?? step.channel, reason: stale, ...extra });
    effect = { ...base, action: 'suppress', reason: stale, ...routed };
  } else if ('blocked' in route) {
    log.add('suppress', step.id, { channel: step.channel, reason: route.blocked, ...extra });
    effect = { ...base, action: 'suppress', reason: route.blocked };
  } else if (state.arm === 'control') {
    // A holdout records what would have gone out; it takes no slot under the caps.
    log.add('holdout', step.id, { channel: route.channel, reason: 'holdout', ...extra });
    effect = { ...base, action: 'suppress', reason: 'holdout', channel: route.channel, to: route.to };
  } else {
    effect = { ...base, action: 'send', channel: route.channel, to: route.to };
    if (state.policy !== undefined) return gate(playbook, state, state.policy, step, effect, now, log);
    log.add('send', step.id, { channel: route.channel, ...extra });
  }
  return {
    ...state,
    position: { kind: 'effect', stepId: step.id, effect: 'deliver' },
    pendingEffect: effect,
  };
}

/** Quiet hours first (defer or skip), then a cap reservation; the planned send waits for its outcome. */
function gate(
  playbook: Playbook,
  state: RunState,
  policy: RunPolicy,
  step: Extract<Step, { type: 'send' }>,
  send: Extract<Effect, { type: 'deliver' }>,
  now: number,
  log: DecisionLog,
): RunState {
  const channel = send.channel!;
  const transactional = step.purpose === 'transactional';
  const windowMs = transactional ? 0 : (policy.arbitrationWindowMs ?? 0);
  // A send about to wait for arbitration must still be outside quiet hours when its window closes;
  // one whose window has closed only needs now to be.
  const arbitrated = state.arbitrationUntil !== undefined && now >= state.arbitrationUntil;
  const until = [now, now + (arbitrated ? 0 : windowMs)]
    .map((at) => ({ at, end: quietUntil(state, policy, channel, transactional, at) }))
    .find(({ at, end }) => end > at)?.end;
  if (until !== undefined) {
    if (step.onQuietHours === 'skip') return suppressPlanned(state, step, send, 'quiet-hours', log);
    return deferSend(state, policy, step, send, until, 'quiet-hours', now, log);
  }
  const reserve: Effect = {
    type: 'reserveSlot',
    stepId: step.id,
    idempotencyKey: send.idempotencyKey,
    channel,
    transactional,
    caps: policy.caps,
    calendar: { timeZone: customerTimeZone(state, policy), weekStartsOn: policy.weekStartsOn },
    ...(playbook.tags !== undefined && playbook.tags.length > 0 && { tags: playbook.tags }),
    ...(windowMs > 0 && {
      arbitration: { windowMs, priority: playbook.priority, expectedValue: playbook.expectedValue ?? 0 },
    }),
  };
  return {
    ...state,
    position: { kind: 'effect', stepId: step.id, effect: 'reserveSlot' },
    pendingEffect: reserve,
    plannedDelivery: send,
  };
}

export function suppressPlanned(
  state: RunState,
  step: Extract<Step, { type: 'send' }>,
  send: Extract<Effect, { type: 'deliver' }>,
  reason: string,
  log: DecisionLog,
  why: Partial<Decision> = {},
): RunState {
  log.add('suppress', step.id, { channel: send.channel!, reason, ...why });
  const { plannedDelivery: _dropped, ...rest } = state;
  const effect: Effect = { ...send, action: 'suppress', reason };
  return { ...rest, position: { kind: 'effect', stepId: step.id, effect: 'deliver' }, pendingEffect: effect };
}

/** Holds a send back until `until`, under the same key; past the policy's maximum deferral it is skipped. */
export function deferSend(
  state: RunState,
  policy: RunPolicy,
  step: Extract<Step, { type: 'send' }>,
  send: Extract<Effect, { type: 'deliver' }>,
  until: number,
  reason: string,
  now: number,
  log: DecisionLog,
  why: Partial<Decision> = {},
): RunState {
  const since = state.deferredSince ?? now;
  if (until - since > policy.maxDeferralMs) {
    return suppressPlanned(state, step, send, `${reason}:deferral-expired`, log, why);
  }
  log.add('defer', step.id, {
    channel: send.channel!,
    reason: `${reason} until ${new Date(until).toISOString()}`,
    ...why,
  });
  const { pendingEffect: _none, plannedDelivery: _later, ...rest } = state;
  return { ...rest, deferredSince: since, position: { kind: 'deferred', stepId: step.id, until, since } };
}
