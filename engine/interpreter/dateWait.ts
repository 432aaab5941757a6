import type { JourneyEvent } from '../../schemas/events/schema';
import type { Step } from '../../schemas/playbook/schema';
import { parseDuration } from '../time/duration';
import { valueAt } from './context';

/*
 * A `waitUntilDate` step's wake-up: a time the trigger carries (e.g. a renewal's `renewsAt`) plus a
 * signed offset. Pure, so the workflow and the simulator compute the same instant. A time that has
 * already passed (the event arrived late, or the offset reaches back before the entry) continues
 * at once rather than stopping the run: a late reminder is still worth the remaining steps.
 */

type DateWaitStep = Extract<Step, { type: 'waitUntilDate' }>;

/** Milliseconds for `-14d`, `+2d` or `2d`; undefined when it is not one. */
export function parseOffset(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  const ms = parseDuration(text.replace(/^[+-]/, ''));
  return ms === undefined ? undefined : sign * ms;
}

/**
 * When the step wakes for a run entered by `trigger`, never before `now`. The date is read from the
 * path after `trigger.` (the validator allows only timestamp fields of the trigger event); a missing
 * date (an optional field left out) wakes at once, like a date already past.
 */
export function dateWaitUntil(step: DateWaitStep, trigger: JourneyEvent, now: number): number {
  const path = step.date.replace(/^trigger\./, '');
  const raw = step.date.startsWith('trigger.') ? valueAt(trigger, path) : undefined;
  const at = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(at)) return now;
  return Math.max(now, at + (parseOffset(step.offset) ?? 0));
}
