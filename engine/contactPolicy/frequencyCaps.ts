import type { CapRule, CapWindow } from '../../schemas/policy/schema';
import { parseDuration } from '../time/duration';
import { startOfLocalDay, startOfLocalWeek, type Weekday } from '../interpreter/localTime';

/** A send already made (or reserved) for a customer: what the caps count. */
export interface LedgerEntry {
  at: number;
  channel: 'email' | 'sms';
  playbookId: string;
  tags?: string[];
  transactional: boolean;
  /** The send's idempotency key: reserving the same key twice is one reservation. */
  key: string;
}

export interface SendCandidate {
  channel: 'email' | 'sms';
  playbookId: string;
  tags?: string[];
  transactional: boolean;
}

export interface CalendarContext {
  timeZone: string;
  weekStartsOn: Weekday;
}

export type CapDecision =
  | { ok: true }
  /** `rule` is the most restrictive cap that blocks: the one that frees up last. */
  | { ok: false; rule: CapRule; count: number; freesAt: number };

/** Whether a cap counts this send (or ledger entry). */
export function capApplies(
  rule: CapRule,
  send: { channel: string; playbookId: string; tags?: string[] },
): boolean {
  return (
    (rule.channel === 'any' || rule.channel === send.channel) &&
    (rule.playbook === undefined || rule.playbook === send.playbookId) &&
    (rule.tag === undefined || (send.tags ?? []).includes(rule.tag))
  );
}

const DAY = 86_400_000;

interface WindowView {
  contains(at: number): boolean;
  /** When a slot frees up, given the entries counted in the window. */
  freesAt(counted: readonly LedgerEntry[]): number;
}

/** A rolling window is the last `span` ms; a calendar one is the customer's local day or week. */
function viewOf(window: CapWindow, now: number, calendar: CalendarContext): WindowView {
  if ('rolling' in window) {
    const span = parseDuration(window.rolling) ?? 0;
    return {
      // No upper bound: a slot another worker dated a moment "later" (clock skew) still counts.
      contains: (at) => at > now - span,
      freesAt: (counted) => counted.reduce((min, e) => Math.min(min, e.at), now) + span,
    };
  }
  const { timeZone, weekStartsOn } = calendar;
  const start =
    window.calendar === 'day'
      ? startOfLocalDay(now, timeZone)
      : startOfLocalWeek(now, timeZone, weekStartsOn);
  // The next period starts after the longest possible one (25 h with DST, or a week of them).
  const next =
    window.calendar === 'day'
      ? startOfLocalDay(start + 26 * 3_600_000, timeZone)
      : startOfLocalWeek(start + 8 * DAY, timeZone, weekStartsOn);
  return { contains: (at) => at >= start && at < next, freesAt: () => next };
}

/**
 * Whether a send fits under every cap (they combine with AND). Transactional sends are exempt but
 * still counted, so they use up the budget marketing sees. Pure: the reserve in MongoDB and the
 * simulator both call it.
 */
export function checkCaps(
  rules: readonly CapRule[],
  ledger: readonly LedgerEntry[],
  candidate: SendCandidate,
  now: number,
  calendar: CalendarContext,
): CapDecision {
  if (candidate.transactional) return { ok: true };
  let worst: Extract<CapDecision, { ok: false }> | undefined;
  for (const rule of rules) {
    if (!capApplies(rule, candidate)) continue;
    const view = viewOf(rule.window, now, calendar);
    const counted = ledger.filter((e) => capApplies(rule, e) && view.contains(e.at));
    if (counted.length < rule.max) continue;
    const freesAt = view.freesAt(counted);
    if (!worst || freesAt > worst.freesAt) worst = { ok: false, rule, count: counted.length, freesAt };
  }
  return worst ?? { ok: true };
}

/** How far back any rule can look: older ledger entries no longer matter and may be pruned. */
export function longestWindow(rules: readonly CapRule[]): number {
  const reach = (window: CapWindow) =>
    'rolling' in window
      ? (parseDuration(window.rolling) ?? 0)
      : window.calendar === 'day'
        ? 2 * DAY
        : 8 * DAY;
  return Math.max(0, ...rules.map((rule) => reach(rule.window)));
}
