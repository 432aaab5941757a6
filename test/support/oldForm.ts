import type { Playbook } from '../../schemas/playbook/schema';
import type { PlaybookV1, StepV1 } from '../../schemas/playbook/schemaV1';

/** `event.data.cartId` → `data.cartId`: the key path as schemaVersion 1 wrote it. */
function unrooted(path: string): string {
  return path.replace(/^event\./, '');
}

function matcherV1<T extends { matchTriggerOn?: string }>(matcher: T): T {
  return matcher.matchTriggerOn === undefined
    ? matcher
    : { ...matcher, matchTriggerOn: unrooted(matcher.matchTriggerOn) };
}

/**
 * A definition written back in the form before schemaVersion 2, as a file, a stored version or a
 * run's frozen input from then holds it: the inverse of engine/interpreter/upgradePlaybook.ts,
 * written out by hand so the test does not check the upgrade against itself.
 */
export function toSchemaVersion1(playbook: Playbook): PlaybookV1 {
  const { schemaVersion: _current, holdout, entry, exit, success, steps, ...same } = playbook;
  const stepsV1: StepV1[] = steps.map((step) => {
    if (step.type === 'send')
      return { ...step, onQuietHours: step.onQuietHours === 'skip' ? 'drop' : 'defer' };
    if (step.type === 'waitForEvent') return matcherV1(step);
    return step;
  });
  return {
    ...same,
    schemaVersion: 1,
    holdoutPercent: Math.round(holdout * 10_000) / 100,
    entry: entry.key === undefined ? entry : { ...entry, key: unrooted(entry.key) },
    ...(exit && { exit: { goals: exit.goals.map(matcherV1) } }),
    success: { ...success, metric: matcherV1(success.metric) },
    steps: stepsV1,
  };
}
