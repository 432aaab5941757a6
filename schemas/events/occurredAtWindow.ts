import type { InputIssue } from '../issues';

/*
 * How far an event's `occurredAt` may lie from the moment the engine receives it. Profiles and
 * products keep the newest state by `occurredAt` (store/setIfNewer.ts), so an event dated in the
 * far future would win every comparison and freeze the record: every later update answered 202 and
 * changed nothing. The window is checked with the receiver's clock, injected, never read here.
 *
 * - Future: 5 minutes. A producer's clock may run a little ahead of ours (NTP keeps servers within
 *   well under a second; 5 minutes covers a badly kept one), but an event cannot happen later than
 *   it is sent.
 * - Past: 10 years. Backfills of a shop's history (`journeys events publish` of past orders, the
 *   demo's 90-day store) stay well inside it; a date before it is almost always a broken
 *   conversion (a zero or missing timestamp read as 1970, a two-digit year).
 *
 * An event accepted inside the window can still block nothing later: for the newest-wins
 * comparisons an event never counts as later than its arrival (`orderingTime`), so one dated
 * 4 minutes ahead by a fast clock does not hide the updates that arrive in those 4 minutes.
 */

export interface OccurredAtWindow {
  /** How far after its arrival an event may be dated, in milliseconds. */
  maxFutureMs: number;
  /** How far before its arrival an event may be dated, in milliseconds. */
  maxPastMs: number;
}

const MINUTE_MS = 60_000;
const YEAR_MS = 365.25 * 24 * 60 * MINUTE_MS;

export const DEFAULT_OCCURRED_AT_WINDOW: OccurredAtWindow = {
  maxFutureMs: 5 * MINUTE_MS,
  maxPastMs: 10 * YEAR_MS,
};

/** The problem with an event's `occurredAt` received at `receivedAt`, or undefined when it is inside the window. */
export function occurredAtIssue(
  occurredAt: string,
  receivedAt: Date,
  window: OccurredAtWindow,
): InputIssue | undefined {
  const at = Date.parse(occurredAt);
  const received = receivedAt.toISOString();
  if (at > receivedAt.getTime() + window.maxFutureMs) {
    return {
      path: 'occurredAt',
      message:
        `${occurredAt} is more than ${span(window.maxFutureMs)} after the event was received ` +
        `(${received}); give the time the event happened, from a correctly set clock`,
    };
  }
  if (at < receivedAt.getTime() - window.maxPastMs) {
    return {
      path: 'occurredAt',
      message:
        `${occurredAt} is more than ${span(window.maxPastMs)} before the event was received ` +
        `(${received}); events older than that are not accepted (check the date's year and time zone)`,
    };
  }
  return undefined;
}

/**
 * The time an event counts at when compared with others for newest-wins: its `occurredAt`, but never
 * after its arrival. A producer whose clock runs ahead cannot make its event outrank what follows it.
 */
export function orderingTime(occurredAt: string | number, receivedAt: Date): Date {
  const at = typeof occurredAt === 'number' ? occurredAt : Date.parse(occurredAt);
  return new Date(Math.min(at, receivedAt.getTime()));
}

function span(ms: number): string {
  if (ms >= YEAR_MS) return plural(Math.round(ms / YEAR_MS), 'year');
  if (ms >= 24 * 60 * MINUTE_MS) return plural(Math.round(ms / (24 * 60 * MINUTE_MS)), 'day');
  if (ms >= MINUTE_MS) return plural(Math.round(ms / MINUTE_MS), 'minute');
  return plural(Math.round(ms / 1000), 'second');
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
