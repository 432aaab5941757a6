import { resolve } from 'node:path';
import type { z } from 'zod';
import { readPlaybookFile } from '../playbook/readFile';
import { formatIssue, toInputIssues, type InputIssue } from '../issues';
import { ContactPolicy } from './schema';
import { SeasonCalendar } from './seasons';

/*
 * The one loader of what admins edit in policy/: the workspace contact policy and the seasonal
 * calendar are read, validated and reported the same way, so they share it.
 */

export const DEFAULT_POLICY_FILE = resolve(__dirname, '..', '..', 'policy', 'workspace.yaml');
export const DEFAULT_SEASONS_FILE = resolve(__dirname, '..', '..', 'policy', 'seasons.yaml');

/** A policy or calendar file that could not be read or does not validate, with every problem. */
export class InvalidPolicyError extends Error {
  override readonly name = 'InvalidPolicyError';
  constructor(
    readonly file: string,
    readonly issues: InputIssue[],
  ) {
    super(issues.map((issue) => formatIssue(file, issue)).join('\n'));
  }
}

/** Reads a YAML or JSON file and validates it; every problem is reported as `file: path: message`. */
function loadPolicyFile<Schema extends z.ZodType>(schema: Schema, file: string): z.output<Schema> {
  const read = readPlaybookFile(file);
  if (!read.ok) throw new InvalidPolicyError(file, read.issues);
  const parsed = schema.safeParse(read.data);
  if (!parsed.success) throw new InvalidPolicyError(file, toInputIssues(parsed.error));
  return parsed.data;
}

/** The workspace contact policy: caps, quiet hours, arbitration and consent rules. */
export function loadPolicy(file: string = DEFAULT_POLICY_FILE): ContactPolicy {
  return loadPolicyFile(ContactPolicy, file);
}

/** The seasonal calendar: the moments `journeys seasons sync` schedules. */
export function loadSeasons(file: string = DEFAULT_SEASONS_FILE): SeasonCalendar {
  return loadPolicyFile(SeasonCalendar, file);
}
