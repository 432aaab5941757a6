/*
 * Local time of day in a customer's timezone, with Intl only (available in the workflow sandbox
 * and deterministic for a given ICU version), so the workflow and the simulator agree.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTE = 60_000;
const DAY = 86_400_000;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  minuteOfDay: number;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A valid IANA zone, else UTC: a bad profile value must not stop a journey. */
export function safeTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    // Validated by building the formatter localParts keeps for the zone: a formatter costs more
    // than the rest of a send's planning, and each send asks for its customer's zone again.
    formatterFor(timeZone);
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** One formatter per zone, built on first use; throws for a zone Intl does not know. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

function localParts(instant: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const year = parts.year!;
  const month = parts.month!;
  const day = parts.day!;
  return {
    year,
    month,
    day,
    minuteOfDay: parts.hour! * 60 + parts.minute!,
    weekday: WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]!,
  };
}

/** The instant at which the local clock in `timeZone` shows `minuteOfDay` on that local date. */
function instantOfLocal(
  year: number,
  month: number,
  day: number,
  minuteOfDay: number,
  timeZone: string,
): number {
  const asUtc = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE;
  // Correct by the zone's offset near that instant; a second pass settles DST transitions.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const p = localParts(guess, timeZone);
    const shownAsUtc = Date.UTC(p.year, p.month - 1, p.day) + p.minuteOfDay * MINUTE;
    guess += asUtc - shownAsUtc;
  }
  return guess;
}

function parseClock(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h! * 60 + m!;
}

/** Whether the local weekday and time fall inside the window; `to` before `from` spans midnight. */
export function inWindow(
  instant: number,
  timeZone: string,
  days: Weekday[],
  from: string,
  to: string,
): boolean {
  const p = localParts(instant, timeZone);
  const start = parseClock(from);
  const end = parseClock(to);
  if (start <= end) return days.includes(p.weekday) && p.minuteOfDay >= start && p.minuteOfDay < end;
  // Overnight: the part after midnight belongs to the window that opened the day before.
  if (p.minuteOfDay >= start) return days.includes(p.weekday);
  const yesterday = localParts(instant - DAY, timeZone).weekday;
  return p.minuteOfDay < end && days.includes(yesterday);
}

/** `now` if inside the window, else the next instant the window opens (within the next 8 days). */
export function nextOpening(
  now: number,
  timeZone: string,
  days: Weekday[],
  from: string,
  to: string,
): number {
  if (inWindow(now, timeZone, days, from, to)) return now;
  const start = parseClock(from);
  for (let offset = 0; offset <= 8; offset++) {
    const p = localParts(now + offset * DAY, timeZone);
    if (!days.includes(p.weekday)) continue;
    const candidate = instantOfLocal(p.year, p.month, p.day, start, timeZone);
    if (candidate > now) return candidate;
  }
  return now; // unreachable for a non-empty day list; never wait forever
}

/** The instant the customer's local day containing `instant` began. */
export function startOfLocalDay(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  return instantOfLocal(p.year, p.month, p.day, 0, timeZone);
}

/** The instant the customer's local week (starting on `weekStart`) containing `instant` began. */
export function startOfLocalWeek(instant: number, timeZone: string, weekStart: Weekday = 'mon'): number {
  const p = localParts(instant, timeZone);
  const back = (WEEKDAYS.indexOf(p.weekday) - WEEKDAYS.indexOf(weekStart) + 7) % 7;
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day - back));
  return instantOfLocal(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), 0, timeZone);
}
