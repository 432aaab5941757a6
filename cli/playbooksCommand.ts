import { validatePlaybookFiles, type PlaybookFileResult } from '../schemas/playbook/load';
import { formatIssue } from '../schemas/issues';
import { UsageError, type CliCommand } from './command';

/** A file's warnings as `file: path: warning: message`; they never make the file invalid. */
export function warningLines(result: PlaybookFileResult): string[] {
  return (result.warnings ?? []).map((w) =>
    formatIssue(result.file, { ...w, message: `warning: ${w.message}` }),
  );
}

/** `journeys playbooks validate [path…]`: every problem in every file, one per line, in one go. */
export const playbooksValidate: CliCommand = {
  words: ['playbooks', 'validate'],
  args: '[path…]',
  summary:
    'check playbook files (.json, .yaml, .yml) or every playbook file in a directory; default: playbooks',
  run(args, io) {
    const option = args.find((arg) => arg.startsWith('-'));
    if (option !== undefined) throw new UsageError(`unknown option ${option}`);
    const paths = args.length > 0 ? args : ['playbooks'];
    const results = validatePlaybookFiles(paths);
    if (results.length === 0) {
      io.err(`no playbook files (.json, .yaml, .yml) in ${paths.join(', ')}`);
      return 1;
    }
    const problems = results.flatMap((result) =>
      result.issues.map((issue) => formatIssue(result.file, issue)),
    );
    const warnings = results.flatMap((result) => warningLines(result));
    for (const line of [...problems, ...warnings]) io.out(line);
    if (problems.length > 0) {
      const files = results.filter((result) => result.issues.length > 0).length;
      io.err(
        `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} of ${results.length} playbook file${results.length === 1 ? '' : 's'}`,
      );
      return 1;
    }
    const noted =
      warnings.length === 0 ? '' : ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})`;
    io.out(`${results.length} playbook${results.length === 1 ? '' : 's'} valid${noted}`);
    return 0;
  },
};
