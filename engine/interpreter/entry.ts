import type { EventType, JourneyEvent } from '../../schemas/events/schema';
import type { EventMatcher, Playbook } from '../../schemas/playbook/schema';
import { parseDuration } from '../time/duration';
import { assignArm, inGlobalControl, type Arm, type HoldoutScheme } from '../measurement/holdout';
import type { Profile } from '../profile/profile';
import { evaluate, valueAt, type EvalContext } from './context';

/** The value a key path (`event.data.cartId`, rooted like a condition's field) names in an event. */
function valueAtKey(event: JourneyEvent | undefined, path: string): unknown {
  return valueAt({ event }, path);
}

/** Whether `event` is what `matcher` describes, for a run entered by `trigger`. */
export function matches(
  matcher: EventMatcher,
  event: JourneyEvent,
  context: Omit<EvalContext, 'event'>,
): boolean {
  if (event.type !== matcher.event) return false;
  if (matcher.matchTriggerOn !== undefined) {
    const mine = valueAtKey(event, matcher.matchTriggerOn);
    if (mine === undefined || mine !== valueAtKey(context.trigger, matcher.matchTriggerOn)) return false;
  }
  return matcher.where === undefined || evaluate(matcher.where, { ...context, event });
}

/** Whether an event would enter a new run: trigger type and filter, then the audience. */
export function triggers(playbook: Playbook, event: JourneyEvent, profile: Profile | undefined): boolean {
  const context: EvalContext = profile === undefined ? { trigger: event } : { trigger: event, profile };
  if (!matches(playbook.trigger, event, context)) return false;
  return playbook.audience === undefined || evaluate(playbook.audience, { ...context, event });
}

/** The value of the playbook's entry key in an event (one live run per value), if it declares one. */
export function entryKeyValue(playbook: Playbook, event: JourneyEvent): string | undefined {
  if (playbook.entry.key === undefined) return undefined;
  const value = valueAtKey(event, playbook.entry.key);
  // Keys are scalars (IDs, SKUs); an object or a missing value cannot name a run.
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

/** The run's workflow ID, from ../ids (kept here too: callers find it beside the entry rules). */
export { journeyId } from '../ids/journeyKeys';

export interface PastEntry {
  enteredAt: number;
}

/**
 * The re-entry policy, for a customer with no live run: `never` after any earlier entry,
 * `afterExit` always (the earlier run is over), `cooldown` once that long has passed since the
 * last entry.
 */
export function reentryAllowed(playbook: Playbook, last: PastEntry | undefined, now: number): boolean {
  if (last === undefined) return true;
  switch (playbook.entry.reentry) {
    case 'never':
      return false;
    case 'afterExit':
      return true;
    case 'cooldown':
      return now - last.enteredAt >= (parseDuration(playbook.entry.cooldown ?? '0s') ?? 0);
  }
}

/** Event types a live run of this playbook must hear about: repeats, goals and awaited events. */
export function eventsOfInterest(playbook: Playbook): Set<EventType> {
  const types = new Set<EventType>([playbook.trigger.event]);
  for (const goal of playbook.exit?.goals ?? []) types.add(goal.event);
  for (const step of playbook.steps) if (step.type === 'waitForEvent') types.add(step.event);
  return types;
}

export type EntryDecision =
  { enter: true; arm: Arm } | { enter: false; reason: 'trigger' | 'global-control' | 'reentry' };

/**
 * Whether a customer with no live run enters a playbook on this event, and in which arm: trigger
 * filter and audience, then the global control group, then the re-entry policy, then the
 * playbook's holdout. The global control comes before the re-entry policy and before any record,
 * so its customers leave no trace in any playbook. The one rule both the client and the simulator
 * apply; they differ only in where they look up the profile, the last entry and the scheme.
 */
export function decideEntry(
  playbook: Playbook,
  event: JourneyEvent,
  customerId: string,
  profile: Profile | undefined,
  last: PastEntry | undefined,
  now: number,
  scheme: HoldoutScheme,
): EntryDecision {
  if (!triggers(playbook, event, profile)) return { enter: false, reason: 'trigger' };
  if (inGlobalControl(customerId, scheme)) return { enter: false, reason: 'global-control' };
  if (!reentryAllowed(playbook, last, now)) return { enter: false, reason: 'reentry' };
  return { enter: true, arm: assignArm(customerId, playbook.id, playbook.holdout, scheme) };
}
