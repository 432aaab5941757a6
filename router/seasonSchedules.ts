import {
  MONTHS,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
  type ScheduleSpec,
} from '@temporalio/client';
import type { SeasonCalendar, SeasonMoment } from '../schemas/policy/seasons';
import type { SeasonalMomentInput, seasonalMomentWorkflow } from '../workflows/seasonalMoment';

/*
 * One Temporal Schedule per moment of the seasonal calendar, named `season:<momentId>`. The
 * schedule, not a loop over customers, decides when a moment starts: it starts
 * seasonalMomentWorkflow, which publishes `season.started` once per slot (its eventId names the
 * slot), and the fan-out reaches the cohort. `syncSeasonSchedules` makes Temporal match the file.
 */

export const SEASON_SCHEDULE_PREFIX = 'season:';

export function seasonScheduleId(momentId: string): string {
  return `${SEASON_SCHEDULE_PREFIX}${momentId}`;
}

/** Yearly: a calendar entry in the workspace timezone. Once: the instant's fields in UTC, with its year. */
export function momentSpec(moment: SeasonMoment, timezone: string): ScheduleSpec {
  if (moment.yearly !== undefined) {
    const [month, day] = moment.yearly.date.split('-').map(Number) as [number, number];
    const [hour, minute] = moment.yearly.time.split(':').map(Number) as [number, number];
    return {
      calendars: [{ month: MONTHS[month - 1]!, dayOfMonth: day, hour, minute, second: 0 }],
      timezone,
    };
  }
  const at = new Date(moment.at!);
  return {
    calendars: [
      {
        year: at.getUTCFullYear(),
        month: MONTHS[at.getUTCMonth()]!,
        dayOfMonth: at.getUTCDate(),
        hour: at.getUTCHours(),
        minute: at.getUTCMinutes(),
        second: at.getUTCSeconds(),
      },
    ],
    timezone: 'UTC',
  };
}

type MomentScheduleOptions = ScheduleOptions & { action: { args: [SeasonalMomentInput] } };

export function momentSchedule(
  moment: SeasonMoment,
  calendar: SeasonCalendar,
  taskQueue: string,
): MomentScheduleOptions {
  const input: SeasonalMomentInput = {
    momentId: moment.id,
    name: moment.name,
    cohort: moment.cohort,
    ...(moment.hints !== undefined && { hints: moment.hints }),
  };
  return {
    scheduleId: seasonScheduleId(moment.id),
    spec: momentSpec(moment, calendar.timezone),
    action: {
      type: 'startWorkflow',
      workflowType: 'seasonalMomentWorkflow' satisfies (typeof seasonalMomentWorkflow)['name'],
      // Temporal appends the scheduled time, so each slot has its own workflow ID.
      workflowId: `season-moment:${moment.id}`,
      taskQueue,
      args: [input],
    },
    policies: {
      // A slot still publishing when the next falls due (a year later) is a stuck run: do not pile up.
      overlap: ScheduleOverlapPolicy.SKIP,
      // A server down over the moment still fires it within a day; later than that, the moment is gone.
      catchupWindow: '1 day',
    },
  };
}

export interface SyncReport {
  created: string[];
  updated: string[];
  deleted: string[];
}

/** Creates, updates and deletes `season:` schedules so there is exactly one per moment in the calendar. */
export async function syncSeasonSchedules(
  client: Client,
  calendar: SeasonCalendar,
  taskQueue: string,
): Promise<SyncReport> {
  const report: SyncReport = { created: [], updated: [], deleted: [] };
  const wanted = new Set<string>();
  for (const moment of calendar.moments) {
    const options = momentSchedule(moment, calendar, taskQueue);
    wanted.add(options.scheduleId);
    try {
      await client.schedule.create(options);
      report.created.push(options.scheduleId);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({
        spec: options.spec,
        action: options.action,
        policies: options.policies!,
        // A schedule paused by an operator stays paused.
        state: {
          paused: previous.state.paused,
          ...(previous.state.note !== undefined && { note: previous.state.note }),
        },
      }));
      report.updated.push(options.scheduleId);
    }
  }
  // The list is eventually consistent: a schedule created a moment ago may be missing, never extra.
  for await (const summary of client.schedule.list()) {
    const id = summary.scheduleId;
    if (!id.startsWith(SEASON_SCHEDULE_PREFIX) || wanted.has(id)) continue;
    await client.schedule.getHandle(id).delete();
    report.deleted.push(id);
  }
  return report;
}
