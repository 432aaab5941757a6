/*
 * What a `journeys` subcommand looks like to the dispatcher. A command gets its own arguments
 * (after its words) and writes through `io`, so tests can run it in-process and capture output.
 */

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliCommand {
  /** The words that select it, e.g. ['playbooks', 'validate']. */
  words: string[];
  /** The arguments after the words, e.g. '[path…]'. */
  args: string;
  summary: string;
  /** Lines `journeys <words> --help` prints under the usage, e.g. an older form still accepted. */
  notes?: string[];
  /** Resolves to the exit code: 0 done, 1 the input has problems, 2 usage error. */
  run(args: string[], io: CliIo): Promise<number> | number;
}

/*
 * One rule for arguments: the one input a command acts on (a file, a folder, `-` for standard input,
 * or the ID of what it changes or explains) is positional, as in `cp`, `git show <rev>` or `temporal
 * workflow describe`; everything else (further inputs that shape the run, outputs, settings) is a
 * `--flag`. A command whose input moved from a flag keeps the flag as its old form (`notes`).
 */

/** Wrong arguments: the dispatcher prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function usageLine(command: CliCommand): string {
  return `journeys ${command.words.join(' ')}${command.args ? ` ${command.args}` : ''}`;
}
