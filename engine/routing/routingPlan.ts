import type { JourneyEvent } from '../../schemas/events/schema';
import type { Playbook } from '../../schemas/playbook/schema';
import { journeyId, legacyJourneyId } from '../ids/journeyKeys';
import { decideEntry, entryKeyValue, type EntryDecision } from '../interpreter/entry';
import { liveRoute, type LiveRoute } from '../interpreter/liveRoute';
import type { Arm, HoldoutScheme } from '../measurement/holdout';
import type { Profile } from '../profile/profile';
import { parseDuration } from '../time/duration';

/*
 * One customer's share of an event, in one playbook: the routing rule the router (Temporal and
 * MongoDB) and the simulator (in memory) both follow, so they cannot drift apart.
 *
 *   1. signal the live runs that listen for the event (engine/interpreter/liveRoute.ts);
 *   2. if the run this event would enter took it, that run handles the repeat: stop;
 *   3. otherwise decideEntry (trigger and audience, global control, re-entry, holdout);
 *   4. entering, record the entry and start its run.
 *
 * Pure, like the interpreter: `nextRoutingStep` says what to do next from what is known so far,
 * the caller does it with its own I/O and calls again with the answer, until `done`. Reads are
 * asked for only when the rule needs them, so an event a live run takes costs no entry or profile
 * read.
 */

/** What routing one event to one customer in one playbook is about, worked out once. */
export interface RoutingTarget {
  playbook: Playbook;
  event: JourneyEvent;
  customerId: string;
  /** The event's entry key value, when the playbook declares a key. */
  keyValue: string | undefined;
  /** The run this event would enter, and whose live run handles a repeat of its trigger. */
  triggerRun: string;
  /**
   * A run entered before ID parts were escaped (a `:`, `%` or `~` in the customer ID or key) runs
   * under the unescaped ID its entry recorded. Only then is the last entry read before signalling.
   */
  mayRunUnderLegacyId: boolean;
  /** Which live runs hear the event; undefined when no live run of the playbook listens for it. */
  live: LiveRoute | undefined;
}

export function routingTarget(playbook: Playbook, event: JourneyEvent, customerId: string): RoutingTarget {
  const keyValue = entryKeyValue(playbook, event);
  const triggerRun = journeyId(playbook.id, customerId, keyValue);
  return {
    playbook,
    event,
    customerId,
    keyValue,
    triggerRun,
    mayRunUnderLegacyId: legacyJourneyId(playbook.id, customerId, keyValue) !== triggerRun,
    live: liveRoute(playbook, event),
  };
}

/** The customer's latest entry for this trigger (the entry head): the re-entry policy reads it. */
export interface LastEntry {
  journeyId: string;
  enteredAt: number;
  entryEventId: string;
  /**
   * The run this entry started has recorded its end (its exit decision): it is signalled no more.
   * Absent when unknown (the run's summary not read, or not written yet): the run is signalled.
   */
  closed?: boolean;
}

/** What the caller has found out so far; each field is set once the step that asks for it is done. */
export interface RoutingFacts {
  /** The latest entry, once read: null when the customer never entered. */
  lastEntry?: LastEntry | null;
  /** The runs that took the event, once signalled (a run that is not live does not count). */
  reached?: readonly string[];
  /** The customer's profile, once read: null when none is stored. */
  profile?: Profile | null;
  /** Set once the planned entry is recorded and its run started. */
  entered?: boolean;
}

/** A new entry: recorded (entries, entry head, recent runs), then its run started with `event` as trigger. */
export interface PlannedEntry {
  journeyId: string;
  playbookId: string;
  customerId: string;
  keyValue?: string;
  entryEventId: string;
  arm: Arm;
  /** The scheme that assigned `arm`, recorded so entries of different schemes can be told apart. */
  holdoutEpoch: number;
  enteredAt: number;
}

/** Why routing ended: a new run, the live trigger run took the repeat, or decideEntry's refusal. */
export type RoutingEnd = 'entered' | 'live-run' | Extract<EntryDecision, { enter: false }>['reason'];

export type RoutingStep =
  | { kind: 'readLastEntry' }
  /**
   * Signal each of `runs` and, when `everyLiveRunEnteredSince` is set, every run of the customer
   * in the playbook entered since then (a run lives at most the playbook's maxDuration); answer
   * with the ones that took the event.
   */
  | { kind: 'signal'; runs: string[]; everyLiveRunEnteredSince?: number }
  | { kind: 'readProfile' }
  | { kind: 'enter'; entry: PlannedEntry }
  /** `reached`: workflow IDs of the runs the event reached, signalled or entered. */
  | { kind: 'done'; reached: string[]; end: RoutingEnd };

/** The next thing to do to route `target`'s event, given what is known so far. */
export function nextRoutingStep(
  target: RoutingTarget,
  facts: RoutingFacts,
  now: number,
  scheme: HoldoutScheme,
): RoutingStep {
  const { playbook, event, customerId, keyValue, triggerRun, live } = target;
  if (target.mayRunUnderLegacyId && facts.lastEntry === undefined) return { kind: 'readLastEntry' };
  // Only a head read for that reason names a legacy run: a head read later is for re-entry alone.
  const legacyRun =
    target.mayRunUnderLegacyId && facts.lastEntry && facts.lastEntry.journeyId !== triggerRun
      ? facts.lastEntry.journeyId
      : undefined;
  if (live !== undefined && facts.reached === undefined) {
    // The one run that would hear it is read about first, so that an event that reaches no run
    // never touches Temporal (issue 16): with no entry head, the customer never entered (every run
    // is started after its head is written); a run whose head says it ended is not signalled.
    if (live.kind === 'one' && facts.lastEntry === undefined) return { kind: 'readLastEntry' };
    const named = live.kind === 'one' ? [journeyId(playbook.id, customerId, live.keyValue)] : [];
    const all = legacyRun === undefined || named.includes(legacyRun) ? named : [...named, legacyRun];
    const head = facts.lastEntry;
    const runs =
      live.kind === 'one' && head === null
        ? []
        : all.filter((run) => !(head?.closed === true && run === head.journeyId));
    if (live.kind === 'one' && runs.length === 0)
      return nextRoutingStep(target, { ...facts, reached: [] }, now, scheme);
    return live.kind === 'one'
      ? { kind: 'signal', runs }
      : {
          kind: 'signal',
          runs,
          everyLiveRunEnteredSince: now - (parseDuration(playbook.maxDuration) ?? 0),
        };
  }
  const reached = [...(facts.reached ?? [])];
  // A live run handles a repeated trigger itself.
  if (reached.includes(triggerRun) || (legacyRun !== undefined && reached.includes(legacyRun)))
    return { kind: 'done', reached, end: 'live-run' };
  if (facts.entered === true) return { kind: 'done', reached: [...reached, triggerRun], end: 'entered' };
  if (facts.lastEntry === undefined) return { kind: 'readLastEntry' };
  if (facts.profile === undefined) return { kind: 'readProfile' };
  const last = facts.lastEntry;
  // The entry this very event made, found again when its publish is retried after failing
  // mid-way (Temporal unreachable, say): entering again is the same run, not a re-entry.
  const past = last && last.entryEventId !== event.eventId ? { enteredAt: last.enteredAt } : undefined;
  const profile = facts.profile ?? undefined;
  const decision = decideEntry(playbook, event, customerId, profile, past, now, scheme);
  if (!decision.enter) return { kind: 'done', reached, end: decision.reason };
  const entry: PlannedEntry = {
    journeyId: triggerRun,
    playbookId: playbook.id,
    customerId,
    ...(keyValue !== undefined && { keyValue }),
    entryEventId: event.eventId,
    arm: decision.arm,
    holdoutEpoch: scheme.epoch,
    enteredAt: now,
  };
  return { kind: 'enter', entry };
}
