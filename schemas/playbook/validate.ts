import type { z } from 'zod';
import { upgradePlaybookInput } from '../../engine/interpreter/upgradePlaybook';
import type { InputIssue } from '../issues';
import { declaredForm } from './formHints';
import { conditionPathIssues } from './rules/conditions';
import { dateWaitIssues } from './rules/dateWaits';
import { fanOutIssues } from './rules/fanOut';
import { offerOrderIssues } from './rules/offerOrder';
import { renamedFieldWarnings } from './rules/renamedFields';
import { sendTemplateIssues } from './rules/sendTemplates';
import { stepIssues } from './rules/steps';
import { templateContentIssues } from './rules/templateContent';
import { timingIssues } from './rules/timing';
import { waitPathIssues } from './rules/waitPaths';
import { Playbook } from './schema';
import { playbookSchemaIssues } from './schemaIssues';

/*
 * A playbook is valid when it passes the schema and the rules that span fields. The rules read
 * the parsed shape, so they run only when the schema passes, or when all it rejects is unknown
 * fields: those are dropped for the rules, so a typo in a field name does not hide a broken step
 * reference elsewhere in the file.
 */

export interface PlaybookCheck {
  /** Present when there is no issue. */
  playbook?: Playbook;
  issues: InputIssue[];
  /** What an author should look at but may mean: reported, never a reason to refuse the file. */
  warnings: InputIssue[];
}

/**
 * A playbook without `priority` takes the default 100, above every shipped one, and so wins every
 * arbitration it enters without anyone having decided it should.
 */
function priorityWarnings(input: unknown): InputIssue[] {
  if (typeof input !== 'object' || input === null || 'priority' in input) return [];
  return [
    {
      path: 'priority',
      message:
        'not set, so it takes the default 100 and wins over every playbook with a lower priority whenever ' +
        'both want the same customer at once; set priority (0–1000, higher wins) to say where it ranks ' +
        '(journeys playbooks list shows the order)',
    },
  ];
}

/** The cross-field rules, for a playbook that already passed the schema. */
export function playbookRuleIssues(playbook: Playbook): InputIssue[] {
  return [
    ...stepIssues(playbook),
    ...timingIssues(playbook),
    ...waitPathIssues(playbook),
    ...sendTemplateIssues(playbook),
    ...templateContentIssues(playbook),
    ...offerOrderIssues(playbook),
    ...conditionPathIssues(playbook),
    ...fanOutIssues(playbook),
    ...dateWaitIssues(playbook),
  ];
}

/** A copy of the input without the fields zod reported as unknown. */
function withoutUnknownFields(input: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy = structuredClone(input);
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    let holder: unknown = copy;
    for (const key of issue.path) holder = (holder as Record<PropertyKey, unknown> | undefined)?.[key];
    if (typeof holder !== 'object' || holder === null) continue;
    for (const key of issue.keys) delete (holder as Record<string, unknown>)[key];
  }
  return copy;
}

/**
 * Checks a playbook in either form: the form before schemaVersion 2 is upgraded first (what the
 * validator returns, and publishing stores, is always the current form).
 */
export function validatePlaybook(original: unknown): PlaybookCheck {
  const input = upgradePlaybookInput(original);
  const result = Playbook.safeParse(input);
  // Warnings wait until the file is valid: errors first, then what is worth a second look.
  if (result.success) {
    const issues = playbookRuleIssues(result.data);
    return issues.length > 0
      ? { issues, warnings: [] }
      : {
          playbook: result.data,
          issues,
          warnings: [...priorityWarnings(input), ...renamedFieldWarnings(result.data)],
        };
  }
  const issues = playbookSchemaIssues(result.error, input, declaredForm(original));
  if (result.error.issues.every((issue) => issue.code === 'unrecognized_keys')) {
    const retry = Playbook.safeParse(withoutUnknownFields(input, result.error.issues));
    if (retry.success) issues.push(...playbookRuleIssues(retry.data));
  }
  return { issues, warnings: [] };
}
