import { startOfLocalDay } from '../../engine/interpreter/localTime';
import type { SeasonCalendar, SeasonMoment } from '../../schemas/policy/seasons';
import type { EventLog } from './eventLog';

/*
 * The workspace calendar's moments that fall in the window, as the `season.started` events their
 * Temporal Schedules would publish (workflows/seasonalMoment.ts), so `journeys simulate` covers the
 * seasonal playbook too. The live engine never reads these from a file: `journeys seasons sync`
 * owns the schedules.
 */

const MINUTE = 60_000;

function occurrences(moment: SeasonMoment, timezone: string, start: number, end: number): number[] {
  if (moment.at !== undefined) return [Date.parse(moment.at)];
  if (moment.yearly === undefined) return [];
  const [month, day] = moment.yearly.date.split('-').map(Number);
  const [hour, minute] = moment.yearly.time.split(':').map(Number);
  const years = new Set([new Date(start).getUTCFullYear(), new Date(end).getUTCFullYear()]);
  // Local midnight of the date plus the clock time: off by an hour only on a DST change day.
  return [...years].map(
    (year) =>
      startOfLocalDay(Date.UTC(year, month! - 1, day, 12), timezone) + (hour! * 60 + minute!) * MINUTE,
  );
}

/** The moments' instants in [start, end), sorted. */
export function momentsInWindow(
  calendar: SeasonCalendar,
  start: number,
  end: number,
): { moment: SeasonMoment; at: number }[] {
  return calendar.moments
    .flatMap((moment) => occurrences(moment, calendar.timezone, start, end).map((at) => ({ moment, at })))
    .filter(({ at }) => at >= start && at < end)
    .sort((a, b) => a.at - b.at);
}

export function writeSeasonEvents(log: EventLog, moments: { moment: SeasonMoment; at: number }[]): void {
  for (const { moment, at } of moments) {
    const iso = new Date(at).toISOString();
    // The eventId a schedule's run gives it (seasonEventId), so a replay next to live data dedupes.
    log.fanOut(
      'season.started',
      at,
      {
        momentId: moment.id,
        name: moment.name,
        startsAt: iso,
        cohort: moment.cohort,
        ...(moment.hints !== undefined && { hints: moment.hints }),
      },
      `season:${moment.id}:${iso}`,
    );
  }
}
