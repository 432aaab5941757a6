import { resolve } from 'node:path';
import { readPlaybookFile } from '../playbook/readFile';
import { formatIssue, toInputIssues, type InputIssue } from '../issues';
import { ContactPolicy } from './schema';

export const DEFAULT_POLICY_FILE = resolve(__dirname, '..', '..', 'policy', 'workspace.yaml');

/**
 * The workspace policy file the worker and the client read: POLICY_FILE, or when it is unset or
 * empty the shipped policy/workspace.yaml. Offline commands (simulate, report lift) that answer
 * "what did or would the engine do" read the same one, without demanding the rest of the config.
 */
export function workspacePolicyFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.POLICY_FILE?.trim() || DEFAULT_POLICY_FILE;
}

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
