import type { z } from 'zod';
import { formatPath, type InputIssue } from '../issues';

/*
 * What the validator says when a schemaVersion 1 name or word is left after the upgrade
 * (engine/interpreter/upgradePlaybook.ts): in a file that says `schemaVersion: 2`, which is not
 * upgraded, or in an old-form file whose value could not be converted. Each message names the
 * current form, so the fix is in the message.
 */

type Issue = z.core.$ZodIssue;

/** The form a file says it is written in: 2 when it says so, else the form before (1). */
export function declaredForm(input: unknown): 1 | 2 {
  const version =
    typeof input === 'object' && input !== null
      ? (input as { schemaVersion?: unknown }).schemaVersion
      : undefined;
  return version === 2 ? 2 : 1;
}

const HOLDOUT = 'holdout, a share from 0 to 1 (holdoutPercent: 10 is holdout: 0.1)';

function holdoutPercentIssue(form: 1 | 2, input: unknown): InputIssue {
  const hasHoldout = typeof input === 'object' && input !== null && 'holdout' in input;
  const message =
    form === 2
      ? `holdoutPercent is the schemaVersion 1 name: with schemaVersion: 2 write ${HOLDOUT}`
      : hasHoldout
        ? 'holdoutPercent is the old name of holdout: give holdout only'
        : `expected a percent from 0 to 100; better, write ${HOLDOUT}`;
  return { path: 'holdoutPercent', message };
}

/**
 * An author-facing issue for a schemaVersion 1 leftover; null when another such issue already says
 * it (holdout is missing because holdoutPercent is left); undefined when the issue is another.
 */
export function oldFormIssue(
  issue: Issue,
  raw: unknown,
  form: 1 | 2,
  input: unknown,
): InputIssue | null | undefined {
  const at = formatPath(issue.path);
  const holdoutPercentLeft = typeof input === 'object' && input !== null && 'holdoutPercent' in input;
  if (issue.code === 'invalid_type' && at === 'holdout' && raw === undefined && holdoutPercentLeft)
    return null;
  if (issue.code === 'unrecognized_keys' && issue.path.length === 0 && issue.keys.includes('holdoutPercent'))
    return holdoutPercentIssue(form, input);
  if (issue.code === 'invalid_value' && raw === 'drop' && issue.path.at(-1) === 'onQuietHours') {
    return { path: at, message: 'drop is the schemaVersion 1 word: write skip (not sent, the run goes on)' };
  }
  const keyPath = issue.path.at(-1) === 'key' || issue.path.at(-1) === 'matchTriggerOn';
  if (issue.code === 'invalid_format' && keyPath && typeof raw === 'string' && raw.startsWith('data.')) {
    return {
      path: at,
      message: `${raw} is the schemaVersion 1 form: write event.${raw} (a path into the event, as in conditions)`,
    };
  }
  return undefined;
}
