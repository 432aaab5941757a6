import { z } from 'zod';
import { Cohort } from '../events/cohort';
import { clockTime } from '../time';

/*
 * The workspace's seasonal calendar (policy/seasons.yaml, or SEASONS_FILE): the moments that start
 * seasonal nudges. `journeys seasons sync` turns each moment into one Temporal Schedule, whose run
 * publishes `season.started` with the moment's cohort and hints (workflows/seasonalMoment.ts).
 *
 * Compatibility: a new optional field is safe; a schedule carries the moment as it was at the last
 * sync, so a changed moment takes effect at the next `seasons sync`.
 */

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const MonthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
    message: 'expected a month and day such as 11-27',
    abort: true,
  })
  .refine((text) => Number(text.slice(3)) <= (DAYS_IN_MONTH[Number(text.slice(0, 2)) - 1] ?? 0), {
    message: 'no such day in that month',
  });
const ClockTime = clockTime('08:00');

const TimeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA timezone such as Europe/Stockholm' },
);

export const SeasonMoment = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lowercase letters, digits and dashes'),
    name: z.string().min(1),
    /** Once, at this instant (with its offset), e.g. 2026-11-27T08:00:00+01:00. */
    at: z.iso
      .datetime({ offset: true, message: 'expected an ISO instant such as 2026-11-27T08:00:00+01:00' })
      .optional(),
    /** Every year on this day, at this time in the calendar's timezone. */
    yearly: z.strictObject({ date: MonthDay, time: ClockTime.default('09:00') }).optional(),
    cohort: Cohort,
    /** Copy for the nudge templates, read as trigger.data.hints.<name>. */
    hints: z
      .record(
        z.string().regex(/^[A-Za-z0-9_]+$/, 'expected a name of letters, digits and _'),
        z.string().max(500),
      )
      .optional(),
  })
  .refine((m) => (m.at === undefined) !== (m.yearly === undefined), {
    message: 'say when: either at (one instant) or yearly (a date and time every year), not both',
  });
export type SeasonMoment = z.infer<typeof SeasonMoment>;

export const SeasonCalendar = z
  .strictObject({
    /** The timezone of `yearly` moments: the workspace's. */
    timezone: TimeZone.default('UTC'),
    moments: z.array(SeasonMoment).default([]),
  })
  .superRefine((calendar, ctx) => {
    const seen = new Set<string>();
    calendar.moments.forEach((moment, index) => {
      if (seen.has(moment.id))
        ctx.addIssue({
          code: 'custom',
          path: ['moments', index, 'id'],
          message: `"${moment.id}" is used twice`,
        });
      seen.add(moment.id);
    });
  });
export type SeasonCalendar = z.infer<typeof SeasonCalendar>;
