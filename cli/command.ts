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
  /** Resolves to the exit code: 0 done, 1 the input has problems, 2 usage error. */
  run(args: string[], io: CliIo): Promise<number> | number;
}

/** Wrong arguments: the dispatcher prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function usageLine(command: CliCommand): string {
  return `journeys ${command.words.join(' ')}${command.args ? ` ${command.args}` : ''}`;
}
