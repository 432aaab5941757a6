import type { JourneyEvent } from '../../schemas/events/schema';
import type { EventMatcher, Playbook } from '../../schemas/playbook/schema';
import { entryKeyValue, eventsOfInterest } from './entry';

/**
 * Which of a customer's live runs of a playbook an event goes to:
 * - `one`: the run the event's entry key value names (the only run of an unkeyed playbook);
 * - `every`: every live run of the customer in the playbook, each of which then decides for itself
 *   (its goals and waits are matched against its own trigger by `matches`).
 *
 * For a keyed playbook, an event goes to one run only when everything listening for its type is
 * tied to the key: the trigger itself (a repeat belongs to the run of its key), and goals and
 * waits whose `matchTriggerOn` is the entry key. A goal without it is about the customer, not the
 * key: a new order ends every run, whichever order entered it. Before this rule an event that
 * happened to carry the key field (a new order's `data.orderId`) went only to the run of *its*
 * key, which did not exist, and the keyed runs never heard their goal.
 */
export type LiveRoute = { kind: 'one'; keyValue: string | undefined } | { kind: 'every' };

/** The route for `event`, or undefined when no live run of the playbook listens for its type. */
export function liveRoute(playbook: Playbook, event: JourneyEvent): LiveRoute | undefined {
  if (!eventsOfInterest(playbook).has(event.type)) return undefined;
  const { key } = playbook.entry;
  if (key === undefined) return { kind: 'one', keyValue: undefined };
  const keyValue = entryKeyValue(playbook, event);
  if (keyValue === undefined) return { kind: 'every' };
  const listening: EventMatcher[] = [
    ...(playbook.exit?.goals ?? []),
    ...playbook.steps.flatMap((step) => (step.type === 'waitForEvent' ? [step] : [])),
  ].filter((matcher) => matcher.event === event.type);
  return listening.every((matcher) => matcher.matchTriggerOn === key)
    ? { kind: 'one', keyValue }
    : { kind: 'every' };
}

/**
 * Whether `event`, of the trigger's type, repeats the trigger of a run entered by `trigger`: a run
 * of a keyed playbook repeats only for its own key. (An event without a key value is taken as a
 * repeat, as it always was: the router sent such events to every run before this rule too.)
 */
export function repeatsKey(playbook: Playbook, event: JourneyEvent, trigger: JourneyEvent): boolean {
  const mine = entryKeyValue(playbook, event);
  return mine === undefined || mine === entryKeyValue(playbook, trigger);
}
