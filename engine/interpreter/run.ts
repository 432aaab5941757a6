import type { JourneyEvent } from '../../schemas/events/schema';
import type { Playbook, Step } from '../../schemas/playbook/schema';
import { parseDuration } from '../time/duration';
import { legacyRunKey, runKey } from '../ids/journeyKeys';
import type { Arm } from '../measurement/holdout';
import { evaluate } from './context';
import { matches } from './entry';
import { repeatsKey } from './liveRoute';
import { dateWaitUntil } from './dateWait';
import { nextOf, stepById } from './graph';
import { nextOpening, safeTimeZone } from './localTime';
import { DecisionLog } from './decisionLog';
import { recheckSkus } from './recheck';
import { deferSend, planSend, suppressPlanned } from './sendPlanning';
import type { Decision, Effect, Outcome, RunInput, RunPolicy, RunState, StepResult } from './types';

/*
 * The journey interpreter: (definition, state, input, now) -> (state, effect?, decisions).
 * No I/O and no clock of its own: the Temporal workflow and the offline simulator drive it
 * with their own time and carry out its effects, so both make the same decisions.
 */

export interface RunStart {
  playbook: Playbook;
  journeyId: string;
  customerId: string;
  trigger: JourneyEvent;
  arm: Arm;
  /** The contact policy for this run's sends; omitted, sends are not capped (as before policies). */
  policy?: RunPolicy;
  /** Keys messages as runs did before ID parts were escaped: only for the replay of such runs. */
  legacyRunKey?: boolean;
}

const SEEN_EVENT_LIMIT = 1_000;
const DEFERRED_LIMIT = 100;

function ms(duration: string): number {
  const value = parseDuration(duration);
  if (value === undefined) throw new Error(`invalid duration "${duration}"`);
  return value;
}

/** Enters a run: records the entry and loads the profile before the first step. */
export function startRun(start: RunStart, now: number): StepResult {
  const { playbook, trigger } = start;
  const first = playbook.steps[0];
  if (!first) throw new Error(`playbook ${playbook.id} has no steps`);
  const state: RunState = {
    journeyId: start.journeyId,
    runKey: (start.legacyRunKey ? legacyRunKey : runKey)(playbook.id, start.customerId, trigger.eventId),
    playbookId: playbook.id,
    playbookVersion: playbook.version,
    customerId: start.customerId,
    arm: start.arm,
    trigger,
    entryEventId: trigger.eventId,
    enteredAt: now,
    deadline: now + ms(playbook.maxDuration),
    position: { kind: 'effect', stepId: first.id, effect: 'loadProfile' },
    pendingEffect: { type: 'loadProfile', stepId: first.id },
    paused: false,
    ...(start.policy !== undefined && { policy: start.policy }),
    visits: {},
    seenEventIds: [trigger.eventId],
  };
  const log = new DecisionLog(() => state, now);
  log.add('enter', null, { reason: `trigger:${trigger.type}` });
  return { state, effect: { type: 'loadProfile', stepId: first.id }, decisions: log.decisions };
}

/** Applies one input, then runs the definition forward until it needs time, an event or an effect. */
export function applyInput(playbook: Playbook, state: RunState, input: RunInput, now: number): StepResult {
  let current = state;
  const log = new DecisionLog(() => current, now);
  const set = (next: RunState) => (current = next);

  if (current.position.kind === 'done') return { state: current, decisions: [] };

  switch (input.kind) {
    case 'event': {
      const { event } = input;
      // A repeat changes nothing, but the run may still be waiting on an effect: fall through to
      // advance(), which re-issues it, rather than returning a result without it.
      if (current.seenEventIds.includes(event.eventId)) break;
      set({ ...current, seenEventIds: [...current.seenEventIds, event.eventId].slice(-SEEN_EVENT_LIMIT) });
      onEvent(playbook, current, event, now, set, log);
      break;
    }
    case 'pause':
    case 'resume': {
      const paused = input.kind === 'pause';
      if (current.paused === paused) break; // nothing changes, so nothing to record
      set({ ...current, paused });
      log.add(input.kind, stepOf(current), operatorNote(input));
      break;
    }
    case 'exit':
      set(finish(current, { status: 'exited', reason: `ops:${input.reason}` }, log, input.by));
      break;
    case 'wake':
      break;
    default:
      onEffectResult(playbook, current, input, set, log, now);
  }
  return advance(playbook, current, now, log);
}

/** The next instant at which time alone changes the run, for the driver's timer. */
export function nextWakeAt(state: RunState): number | undefined {
  const { position } = state;
  if (position.kind === 'done' || state.paused) return undefined;
  if (position.kind === 'sleeping' || position.kind === 'waitingForEvent' || position.kind === 'deferred') {
    return Math.min(position.until, state.deadline);
  }
  return position.kind === 'effect' ? undefined : state.deadline;
}

function stepOf(state: RunState): string | null {
  return 'stepId' in state.position ? state.position.stepId : null;
}

/** An operator's why and who, as a decision records them: `ops:<reason>` like an exit's. */
function operatorNote(input: { reason?: string; by?: string }): Partial<Decision> {
  return {
    ...(input.reason !== undefined && { reason: `ops:${input.reason}` }),
    ...(input.by !== undefined && { by: input.by }),
  };
}

function finish(state: RunState, outcome: Outcome, log: DecisionLog, by?: string): RunState {
  log.add('exit', stepOf(state), {
    reason: outcome.status === 'completed' ? 'completed' : outcome.reason,
    ...(by !== undefined && { by }),
  });
  const { pendingEffect: _dropped, ...rest } = state;
  return { ...rest, position: { kind: 'done' }, outcome };
}

function onEvent(
  playbook: Playbook,
  state: RunState,
  event: JourneyEvent,
  now: number,
  set: (s: RunState) => void,
  log: DecisionLog,
): void {
  const context = { trigger: state.trigger, profile: state.profile, offer: state.offer };
  // A goal ends the run at once, whatever it is doing, paused or not.
  if (playbook.exit?.goals.some((goal) => matches(goal, event, context))) {
    set(finish(state, { status: 'exited', reason: `goal:${event.type}`, eventId: event.eventId }, log));
    return;
  }
  if (state.paused) return;

  const { position } = state;
  // Mid-step (an effect in flight), an event waits for the run's next waiting point, so whether it
  // is heard does not depend on how long an activity took.
  if (position.kind === 'effect' || position.kind === 'at') {
    set({ ...state, deferredEvents: [...(state.deferredEvents ?? []), event].slice(-DEFERRED_LIMIT) });
    return;
  }
  if (position.kind === 'waitingForEvent') {
    const step = stepById(playbook, position.stepId);
    if (step.type === 'waitForEvent' && matches(step, event, context)) {
      set({ ...state, position: { kind: 'at', stepId: step.onEvent } });
      return;
    }
  }
  // A goal about the customer reaches every run of a keyed playbook (liveRoute): so can an event of
  // the trigger's type, which repeats only the trigger of the run with its key.
  const repeat =
    event.type === playbook.trigger.event &&
    matches(playbook.trigger, event, { trigger: event }) &&
    repeatsKey(playbook, event, state.trigger);
  if (!repeat || playbook.entry.onRepeat === 'ignore') return;
  let next: RunState = { ...state, trigger: event };
  if (playbook.entry.onRepeat === 'restartWait' && position.kind === 'sleeping') {
    const step = stepById(playbook, position.stepId);
    if (step.type === 'wait') next = { ...next, position: { ...position, until: now + ms(step.duration) } };
    // A new renewal date moves the wait with it.
    if (step.type === 'waitUntilDate')
      next = { ...next, position: { ...position, until: dateWaitUntil(step, event, now) } };
  }
  set(next);
}

function onEffectResult(
  playbook: Playbook,
  state: RunState,
  input: Exclude<RunInput, { kind: 'event' | 'wake' | 'pause' | 'resume' | 'exit' }>,
  set: (s: RunState) => void,
  log: DecisionLog,
  now: number,
): void {
  const { position } = state;
  if (position.kind !== 'effect') return; // a late or repeated result: the run has moved on
  const step = stepById(playbook, position.stepId);

  if (input.kind === 'profileLoaded') {
    // A profile load is the first half of a send; elsewhere it only refreshes what we know.
    const loaded = { ...state, profile: input.profile };
    if (step.type !== 'send') {
      set(moveTo(loaded, step.id));
      return;
    }
    // A recheck that reads the catalog needs the products as they are now: one more effect, issued
    // only then, so sends without one ask for exactly what they always did.
    const skus = recheckSkus(step, loaded);
    const load: Effect = { type: 'loadProducts', stepId: step.id, skus };
    set(
      skus.length === 0
        ? planSend(playbook, loaded, step, log, now, [])
        : {
            ...loaded,
            position: { kind: 'effect', stepId: step.id, effect: load.type },
            pendingEffect: load,
          },
    );
    return;
  }
  if (input.kind === 'productsLoaded' && step.type === 'send' && position.effect === 'loadProducts') {
    set(planSend(playbook, state, step, log, now, input.products));
    return;
  }
  if (input.kind === 'offerDecided' && step.type === 'decideOffer') {
    const next =
      input.offer === null && step.onNoOffer !== undefined ? step.onNoOffer : nextOf(playbook, step);
    set(moveTo({ ...state, offer: input.offer }, next));
    return;
  }
  if (
    (input.kind === 'slotReserved' || input.kind === 'slotRefused' || input.kind === 'slotPending') &&
    step.type === 'send'
  ) {
    const send = state.plannedDelivery;
    if (send === undefined || send.type !== 'deliver' || state.policy === undefined) return;
    if (input.kind === 'slotReserved') {
      const offerId = state.offer?.offerId;
      log.add('send', step.id, { channel: send.channel!, ...(offerId !== undefined && { offerId }) });
      const { plannedDelivery: _sent, ...rest } = state;
      set({ ...rest, position: { kind: 'effect', stepId: step.id, effect: 'deliver' }, pendingEffect: send });
      return;
    }
    if (input.kind === 'slotPending') {
      const waiting = { ...state, arbitrationUntil: input.until };
      set(deferSend(waiting, state.policy, step, send, input.until, 'arbitration', now, log));
      return;
    }
    // Lost to a better send in the same window, or refused by the caps as they stood.
    const reason = input.winner !== undefined ? `priority:${input.winner}` : `cap:${input.rule}`;
    const why: Partial<Decision> = {
      rule: input.rule,
      ...(input.count !== undefined && { count: input.count }),
      ...(input.winner !== undefined && { winner: input.winner }),
    };
    set(
      step.onCap === 'defer'
        ? deferSend(state, state.policy, step, send, input.freesAt, reason, now, log, why)
        : suppressPlanned(state, step, send, reason, log, why),
    );
    return;
  }
  if (input.kind === 'delivered' || input.kind === 'profileUpdated') {
    if (input.kind === 'delivered' && input.status === 'failed') {
      log.add('suppress', step.id, { reason: input.reason ?? 'provider-failed' });
    }
    set(moveTo(state, nextOf(playbook, step)));
  }
}

function moveTo(state: RunState, stepId: string | null): RunState {
  const {
    pendingEffect: _settled,
    plannedDelivery: _planned,
    deferredSince: _since,
    arbitrationUntil: _arbitrated,
    ...rest
  } = state;
  return { ...rest, position: stepId === null ? { kind: 'done' } : { kind: 'at', stepId } };
}

/** Runs steps until the run waits for time, an event or an effect, or ends. */
function advance(playbook: Playbook, start: RunState, now: number, log: DecisionLog): StepResult {
  let state = start;
  for (let guard = 0; guard < 1_000; guard++) {
    const { position } = state;
    if (position.kind === 'done') {
      if (state.outcome === undefined) state = finish(state, { status: 'completed' }, log);
      return { state, decisions: log.decisions };
    }
    if (now >= state.deadline) {
      state = finish(state, { status: 'exited', reason: 'maxDuration' }, log);
      continue;
    }
    if (state.paused) return { state, decisions: log.decisions };
    const deferred = state.deferredEvents?.[0];
    if (
      deferred !== undefined &&
      (position.kind === 'sleeping' || position.kind === 'waitingForEvent' || position.kind === 'deferred')
    ) {
      const rest = state.deferredEvents!.slice(1);
      const { deferredEvents: _applied, ...base } = state;
      state = rest.length > 0 ? { ...base, deferredEvents: rest } : base;
      onEvent(playbook, state, deferred, now, (next) => (state = next), log);
      continue;
    }
    if (position.kind === 'effect') {
      // Re-issued on every call until its result arrives: after a resume, a replay or a retry the
      // driver still knows what to do, and the idempotency key makes doing it twice harmless.
      const effect = state.pendingEffect;
      return effect === undefined
        ? { state, decisions: log.decisions }
        : { state, effect, decisions: log.decisions };
    }
    if (position.kind === 'sleeping') {
      if (now < position.until) return { state, decisions: log.decisions };
      state = moveTo(state, position.then);
      continue;
    }
    if (position.kind === 'deferred') {
      if (now < position.until) return { state, decisions: log.decisions };
      // Try the same send again, same key, on a fresh profile (it is not a new visit of the step).
      const retry: Effect = { type: 'loadProfile', stepId: position.stepId };
      state = {
        ...state,
        position: { kind: 'effect', stepId: position.stepId, effect: 'loadProfile' },
        pendingEffect: retry,
      };
      continue;
    }
    if (position.kind === 'waitingForEvent') {
      if (now < position.until) return { state, decisions: log.decisions };
      const step = stepById(playbook, position.stepId);
      state = moveTo(state, step.type === 'waitForEvent' ? step.onTimeout : null);
      continue;
    }
    state = enterStep(playbook, state, stepById(playbook, position.stepId), now, log);
  }
  throw new Error(`playbook ${playbook.id} ran 1,000 steps without waiting: a loop without a wait`);
}

/** Executes a step the run has just reached. */
function enterStep(
  playbook: Playbook,
  reached: RunState,
  step: Step,
  now: number,
  log: DecisionLog,
): RunState {
  const state: RunState = {
    ...reached,
    visits: { ...reached.visits, [step.id]: (reached.visits[step.id] ?? 0) + 1 },
  };
  const context = {
    event: state.trigger,
    trigger: state.trigger,
    profile: state.profile,
    offer: state.offer,
  };
  const effect = (e: Effect): RunState => ({
    ...state,
    position: { kind: 'effect', stepId: step.id, effect: e.type },
    pendingEffect: e,
  });
  switch (step.type) {
    case 'wait':
      return {
        ...state,
        position: {
          kind: 'sleeping',
          stepId: step.id,
          until: now + ms(step.duration),
          then: nextOf(playbook, step),
        },
      };
    case 'waitUntil': {
      const until = nextOpening(now, safeTimeZone(state.profile?.timezone), step.days, step.from, step.to);
      if (until > now) log.add('defer', step.id, { reason: `until ${step.from}-${step.to} local` });
      return {
        ...state,
        position: { kind: 'sleeping', stepId: step.id, until, then: nextOf(playbook, step) },
      };
    }
    case 'waitUntilDate': {
      const until = dateWaitUntil(step, state.trigger, now);
      return {
        ...state,
        position: { kind: 'sleeping', stepId: step.id, until, then: nextOf(playbook, step) },
      };
    }
    case 'waitForEvent':
      return {
        ...state,
        position: { kind: 'waitingForEvent', stepId: step.id, until: now + ms(step.timeout) },
      };
    case 'branch': {
      const chosen = step.cases.find((c) => evaluate(c.when, context));
      return moveTo(state, chosen ? chosen.next : step.otherwise);
    }
    case 'decideOffer':
      return effect({
        type: 'decideOffer',
        stepId: step.id,
        ...(step.kinds !== undefined && { kinds: step.kinds }),
        ...(step.value !== undefined && { value: step.value }),
      });
    case 'send':
      // Contact points and consent can change while a run waits: always decide on a fresh profile.
      return effect({ type: 'loadProfile', stepId: step.id });
    case 'update':
      return effect({
        type: 'updateProfile',
        stepId: step.id,
        ...(step.set && { set: step.set }),
        ...(step.addTags && { addTags: step.addTags }),
        ...(step.removeTags && { removeTags: step.removeTags }),
      });
    case 'exit':
      return finish(state, { status: 'exited', reason: step.reason ?? `step:${step.id}` }, log);
  }
}
