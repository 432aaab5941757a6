import type { Decision } from '../engine/interpreter/types';

/*
 * Where one run stands, as its decision log tells it, and what a batch of its decisions adds to the
 * console counts. Pure: the recordDecisions activity and the backfill both fold a run's decisions
 * through it, so the counts kept incrementally and the counts rebuilt from the log cannot differ.
 */

/** The step key of a run that entered and has decided nothing at a step yet. */
export const ENTERED_STEP = '(entered)';

export interface RunProgress {
  /** The step of the run's latest decision (ENTERED_STEP before any); null once the run ended. */
  step: string | null;
  /** The steps the run made a decision at, in the order it first did. */
  passed: string[];
  /** The exit decision's reason (`completed`, `goal:order.placed`, …), once the run ended. */
  outcome?: string;
  /** When it ended (the exit decision's `at`). */
  endedAt?: string;
}

/** A run not yet seen: no step, nothing passed. */
export const NOT_STARTED: RunProgress = { step: null, passed: [] };

/**
 * What a batch adds, as `$inc` deltas by counter field:
 * - `steps`, per playbook: `entered`, `ended:<outcome>`, `at:<step>` (runs whose latest decision is
 *   at that step and that have not ended: +1 on arriving, -1 on leaving) and `passed:<step>` (runs
 *   that made a decision at that step, each once);
 * - `days`, per playbook and UTC day of the decision: `send:<channel>`, `suppress:<reason>`,
 *   `holdout:<channel>`, `defer:<reason>`.
 */
export interface CountDeltas {
  steps: Record<string, number>;
  days: Record<string, Record<string, number>>;
}

/** Provider refusals become suppression reasons; their text is cut so one counter field stays short. */
const REASON_CHARS = 80;

/** Folds `decisions` (the run's next ones, in seq order) into `progress`, with the counts they add. */
export function foldDecisions(
  progress: RunProgress,
  decisions: readonly Decision[],
): { progress: RunProgress; deltas: CountDeltas } {
  const steps: Record<string, number> = {};
  const days: Record<string, Record<string, number>> = {};
  const add = (into: Record<string, number>, key: string, by = 1) => {
    into[key] = (into[key] ?? 0) + by;
    if (into[key] === 0) delete into[key];
  };
  let { step } = progress;
  const passed = [...progress.passed];
  let ended = progress.outcome === undefined ? {} : { outcome: progress.outcome, endedAt: progress.endedAt };
  for (const decision of decisions) {
    if (decision.action === 'enter') {
      if (step === null && ended.outcome === undefined) {
        add(steps, 'entered');
        add(steps, `at:${ENTERED_STEP}`);
        step = ENTERED_STEP;
      }
      continue;
    }
    if (decision.action === 'exit') {
      if (step !== null) add(steps, `at:${step}`, -1);
      step = null;
      const outcome = decision.reason ?? 'completed';
      add(steps, `ended:${outcome}`);
      ended = { outcome, endedAt: decision.at };
      continue;
    }
    if (decision.step !== null && ended.outcome === undefined) {
      if (decision.step !== step) {
        if (step !== null) add(steps, `at:${step}`, -1);
        add(steps, `at:${decision.step}`);
        step = decision.step;
      }
      if (!passed.includes(decision.step)) {
        passed.push(decision.step);
        add(steps, `passed:${decision.step}`);
      }
    }
    const detail = dailyDetail(decision);
    if (detail !== undefined) {
      const day = decision.at.slice(0, 10);
      add((days[day] ??= {}), `${decision.action}:${detail}`);
    }
  }
  const next: RunProgress = { step, passed };
  if (ended.outcome !== undefined) Object.assign(next, ended);
  return { progress: next, deltas: { steps, days } };
}

function dailyDetail(decision: Decision): string | undefined {
  switch (decision.action) {
    case 'send':
    case 'holdout':
      return decision.channel ?? '-';
    case 'suppress':
    case 'defer':
      return (decision.reason ?? '-').slice(0, REASON_CHARS);
    default:
      return undefined;
  }
}
