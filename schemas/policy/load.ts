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

/**
 * The workspace policy file the worker and the client read: POLICY_FILE, or when it is unset or
 * empty the shipped policy/workspace.yaml. Offline commands (simulate, report lift) that answer
 * "what did or would the engine do" read the same one, without demanding the rest of the config.
 */
export function workspacePolicyFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.POLICY_FILE?.trim() || DEFAULT_POLICY_FILE;
}

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
