import { resolve } from 'node:path';
import { readPlaybookFile } from '../playbook/readFile';
import { formatIssue, toInputIssues, type InputIssue } from '../issues';
import { ContactPolicy } from './schema';

export const DEFAULT_POLICY_FILE = resolve(__dirname, '..', '..', 'policy', 'workspace.yaml');

export class InvalidPolicyError extends Error {
  override readonly name = 'InvalidPolicyError';
  constructor(
    readonly file: string,
    readonly issues: InputIssue[],
  ) {
    super(issues.map((issue) => formatIssue(file, issue)).join('\n'));
  }
}

/** Reads and validates a policy file (YAML or JSON); every problem is reported as `file: path: message`. */
export function loadPolicy(file: string = DEFAULT_POLICY_FILE): ContactPolicy {
  const read = readPlaybookFile(file);
  if (!read.ok) throw new InvalidPolicyError(file, read.issues);
  const parsed = ContactPolicy.safeParse(read.data);
  if (!parsed.success) throw new InvalidPolicyError(file, toInputIssues(parsed.error));
  return parsed.data;
}
