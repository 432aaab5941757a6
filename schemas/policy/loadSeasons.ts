import { resolve } from 'node:path';
import { readPlaybookFile } from '../playbook/readFile';
import { formatIssue, toInputIssues, type InputIssue } from '../issues';
import { SeasonCalendar } from './seasons';

export const DEFAULT_SEASONS_FILE = resolve(__dirname, '..', '..', 'policy', 'seasons.yaml');

export class InvalidSeasonsError extends Error {
  override readonly name = 'InvalidSeasonsError';
  constructor(
    readonly file: string,
    readonly issues: InputIssue[],
  ) {
    super(issues.map((issue) => formatIssue(file, issue)).join('\n'));
  }
}

/** Reads and validates a seasonal calendar (YAML or JSON); every problem as `file: path: message`. */
export function loadSeasons(file: string = DEFAULT_SEASONS_FILE): SeasonCalendar {
  const read = readPlaybookFile(file);
  if (!read.ok) throw new InvalidSeasonsError(file, read.issues);
  const parsed = SeasonCalendar.safeParse(read.data);
  if (!parsed.success) throw new InvalidSeasonsError(file, toInputIssues(parsed.error));
  return parsed.data;
}
