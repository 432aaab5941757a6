import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatIssue, type InputIssue } from '../issues';
import { isPlaybookFileName, readPlaybookFile } from './readFile';
import { nameSteps } from './stepNames';
import type { Playbook } from './schema';
import { validatePlaybook } from './validate';

/*
 * Playbook files from disk: every file checked, every problem collected, so a CRM team sees the
 * whole list at once instead of fixing one error per run.
 */

export interface PlaybookFileResult {
  file: string;
  /** Present when the file has no issue. */
  playbook?: Playbook;
  issues: InputIssue[];
  /** Reported, but the file is still valid. */
  warnings?: InputIssue[];
}

/** The playbook files directly in a directory (not its subdirectories), sorted; JSON schemas excluded. */
export function listPlaybookFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && isPlaybookFileName(entry.name))
    .map((entry) => join(dir, entry.name))
    .sort();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function checkFile(file: string): PlaybookFileResult {
  if (!existsSync(file)) return { file, issues: [{ path: '(file)', message: 'no such file or directory' }] };
  if (!isPlaybookFileName(basename(file))) {
    return {
      file,
      issues: [{ path: '(file)', message: 'not a playbook file: expected .json, .yaml or .yml' }],
    };
  }
  const read = readPlaybookFile(file);
  if (!read.ok) return { file, issues: read.issues };
  const check = validatePlaybook(read.data);
  // What an author reads: each issue under a step also names the step by its id.
  return { file, ...check, issues: nameSteps(check.issues, read.data) };
}

/** Two files with one id would fight over the same workflow ids and search attributes. */
function duplicateIdIssues(results: PlaybookFileResult[]): void {
  const owner = new Map<string, string>();
  for (const result of results) {
    if (!result.playbook) continue;
    const first = owner.get(result.playbook.id);
    if (first === undefined) {
      owner.set(result.playbook.id, result.file);
      continue;
    }
    result.issues.push({
      path: 'id',
      message: `playbook id "${result.playbook.id}" is already used by ${first}`,
    });
    delete result.playbook;
  }
}

/** Validates files and directories (each directory meaning the playbook files in it). */
export function validatePlaybookFiles(paths: readonly string[]): PlaybookFileResult[] {
  const files = paths.flatMap((path) => (isDirectory(path) ? listPlaybookFiles(path) : [path]));
  const results = [...new Set(files)].map(checkFile);
  duplicateIdIssues(results);
  return results;
}

export class InvalidPlaybooksError extends Error {
  override readonly name = 'InvalidPlaybooksError';
  constructor(readonly results: PlaybookFileResult[]) {
    super(
      results.flatMap((result) => result.issues.map((issue) => formatIssue(result.file, issue))).join('\n'),
    );
  }
}

/** Every playbook in a directory; throws InvalidPlaybooksError listing every problem if any file is invalid. */
export function loadPlaybooks(dir: string): Playbook[] {
  const results = validatePlaybookFiles([dir]);
  const invalid = results.filter((result) => result.issues.length > 0);
  if (invalid.length > 0) throw new InvalidPlaybooksError(invalid);
  return results.flatMap((result) => (result.playbook ? [result.playbook] : []));
}
