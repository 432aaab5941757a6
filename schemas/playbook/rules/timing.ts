import { formatDuration, parseDuration } from '../../../engine/time/duration';
import type { InputIssue } from '../../issues';
import type { Playbook } from '../schema';

/** Waits that outlast the run, and entry cooldown settings that contradict each other. */
export function timingIssues(playbook: Playbook): InputIssue[] {
  const issues: InputIssue[] = [];
  const max = parseDuration(playbook.maxDuration);
  playbook.steps.forEach((step, index) => {
    const waited =
      step.type === 'wait'
        ? { field: 'duration', text: step.duration }
        : step.type === 'waitForEvent'
          ? { field: 'timeout', text: step.timeout }
          : undefined;
    const ms = waited && parseDuration(waited.text);
    if (waited && ms !== undefined && max !== undefined && ms > max) {
      issues.push({
        path: `steps[${index}].${waited.field}`,
        message:
          `${waited.text} is longer than maxDuration ${playbook.maxDuration}: the run would be stopped before ` +
          `the ${step.type === 'wait' ? 'wait' : 'timeout'} ends (shorten it, or raise maxDuration above ${formatDuration(ms)})`,
      });
    }
  });

  const { reentry, cooldown } = playbook.entry;
  if (reentry === 'cooldown' && cooldown === undefined) {
    issues.push({
      path: 'entry.cooldown',
      message: 'missing: entry.reentry is "cooldown", so say how long, e.g. cooldown: 7d',
    });
  }
  if (reentry !== 'cooldown' && cooldown !== undefined) {
    issues.push({
      path: 'entry.cooldown',
      message: `only used when entry.reentry is "cooldown" (it is "${reentry}"): set reentry: cooldown or remove cooldown`,
    });
  }
  return issues;
}
