import type { EventType } from '../../events/schema';
import type { InputIssue } from '../../issues';
import type { Condition, EventMatcher, Playbook } from '../schema';
import { eventFieldProblem, pathParts, variableProblem, type VariableScope } from '../variables';

/*
 * Every path a condition reads (`field`, `value.ref`) can hold a value, and every key path that
 * ties two events together (`matchTriggerOn`, `entry.key`) exists in both.
 */

function conditionIssues(condition: Condition, path: string, scope: VariableScope): InputIssue[] {
  if ('all' in condition)
    return condition.all.flatMap((c, i) => conditionIssues(c, `${path}.all[${i}]`, scope));
  if ('any' in condition)
    return condition.any.flatMap((c, i) => conditionIssues(c, `${path}.any[${i}]`, scope));
  if ('not' in condition) return conditionIssues(condition.not, `${path}.not`, scope);
  // With `key`, what is read is that field of the list's items.
  const field =
    'key' in condition && condition.key !== undefined
      ? `${condition.field}[].${condition.key}`
      : condition.field;
  const reads = [{ at: `${path}.field`, read: field }];
  if ('value' in condition && typeof condition.value === 'object' && !Array.isArray(condition.value)) {
    reads.push({ at: `${path}.value.ref`, read: condition.value.ref });
  }
  return reads.flatMap(({ at, read }) => {
    const problem = variableProblem(read, scope);
    return problem === undefined ? [] : [{ path: at, message: `reads ${read}${problem}` }];
  });
}

/** A key path is rooted at the event it reads (`event.data.cartId`); the event's fields follow the root. */
function keyPathIssues(key: string, path: string, verb: string, types: EventType[]): InputIssue[] {
  const [, ...parts] = pathParts(key);
  for (const type of new Set(types)) {
    const problem = eventFieldProblem(type, parts, { root: 'event' });
    if (problem !== undefined) return [{ path, message: `${verb} ${key}${problem}` }];
  }
  return [];
}

function matcherIssues(matcher: EventMatcher, path: string, scope: VariableScope): InputIssue[] {
  const eventScope = { ...scope, eventType: matcher.event };
  return [
    ...(matcher.where ? conditionIssues(matcher.where, `${path}.where`, eventScope) : []),
    ...(matcher.matchTriggerOn
      ? keyPathIssues(matcher.matchTriggerOn, `${path}.matchTriggerOn`, 'compares', [
          matcher.event,
          scope.triggerType,
        ])
      : []),
  ];
}

export function conditionPathIssues(playbook: Playbook): InputIssue[] {
  const triggerType = playbook.trigger.event;
  const scope: VariableScope = {
    triggerType,
    hasDecideOffer: playbook.steps.some((step) => step.type === 'decideOffer'),
  };
  const issues = [
    ...matcherIssues(playbook.trigger, 'trigger', scope),
    ...(playbook.audience ? conditionIssues(playbook.audience, 'audience', scope) : []),
    ...(playbook.entry.key ? keyPathIssues(playbook.entry.key, 'entry.key', 'reads', [triggerType]) : []),
    ...(playbook.exit?.goals.flatMap((goal, i) => matcherIssues(goal, `exit.goals[${i}]`, scope)) ?? []),
    ...matcherIssues(playbook.success.metric, 'success.metric', scope),
  ];
  playbook.steps.forEach((step, index) => {
    if (step.type === 'waitForEvent') issues.push(...matcherIssues(step, `steps[${index}]`, scope));
    if (step.type === 'branch') {
      step.cases.forEach((c, i) =>
        issues.push(...conditionIssues(c.when, `steps[${index}].cases[${i}].when`, scope)),
      );
    }
    if (step.type === 'send') {
      step.recheck?.forEach((c, i) =>
        issues.push(...conditionIssues(c, `steps[${index}].recheck[${i}]`, { ...scope, atSendTime: true })),
      );
    }
  });
  return issues;
}
