import { UnreachableServiceError } from '../router/connectServices';
import { InvalidPlaybooksError } from '../schemas/playbook/load';
import { UsageError, usageLine, type CliCommand, type CliIo } from './command';
import { playbooksValidate } from './playbooksCommand';
import { eventsPublish, ingestServe } from './liveCommands';
import { explainCommand } from './explainCommand';
import { reportLiftCommand } from './reportLiftCommand';
import { reportCountsCommand } from './reportCountsCommand';
import {
  playbooksActivate,
  playbooksList,
  playbooksPause,
  playbooksPublish,
  playbooksRetire,
} from './playbooksLifecycle';
import { simulateCommand } from './simulateCommand';
import { offersImport } from './offersCommand';
import { holdoutsReshuffle, holdoutsShow } from './holdoutsCommand';
import { seasonsSync } from './seasonsCommand';
import { demoGenerate } from './demoCommand';

/** Every subcommand; a new one is a CliCommand added here. */
export const COMMANDS: CliCommand[] = [
  playbooksValidate,
  playbooksPublish,
  playbooksActivate,
  playbooksPause,
  playbooksRetire,
  playbooksList,
  simulateCommand,
  eventsPublish,
  ingestServe,
  explainCommand,
  reportLiftCommand,
  reportCountsCommand,
  offersImport,
  holdoutsShow,
  holdoutsReshuffle,
  seasonsSync,
  demoGenerate,
];

function matches(command: CliCommand, argv: readonly string[]): boolean {
  return command.words.every((word, i) => argv[i] === word);
}

/**
 * One command: its usage and summary on one line, the usage last, so an error's final line shows it.
 * Several: each usage on its own line with the summary indented below, as git and npm print theirs;
 * padding every summary to the longest usage (simulate's, 190 characters) was unreadable at 80 columns.
 */
function usage(commands: readonly CliCommand[]): string {
  const lines =
    commands.length === 1
      ? commands.map((command) => `  ${usageLine(command)}  ${command.summary}`)
      : commands.flatMap((command) => [`  ${usageLine(command)}`, `      ${command.summary}`]);
  return ['usage:', ...lines].join('\n');
}

function invalidPlaybooksSummary(error: InvalidPlaybooksError): string {
  const problems = error.results.reduce((sum, result) => sum + result.issues.length, 0);
  const files = error.results.length;
  return (
    `${problems} problem${problems === 1 ? '' : 's'} in ${files} playbook file${files === 1 ? '' : 's'}: ` +
    'nothing was run; fix them and run again'
  );
}

/** Runs `journeys <words…> [args…]` and resolves to its exit code; never exits the process itself. */
export async function runCli(argv: readonly string[], io: CliIo, commands = COMMANDS): Promise<number> {
  if (argv.length === 1 && ['help', '--help', '-h'].includes(argv[0] ?? '')) {
    io.out(usage(commands));
    return 0;
  }
  // The most specific command wins, so `playbooks publish` and `playbooks` could coexist.
  const command = commands
    .filter((candidate) => matches(candidate, argv))
    .sort((a, b) => b.words.length - a.words.length)[0];
  if (!command) {
    const related = commands.filter((candidate) => candidate.words[0] === argv[0]);
    const known = related.some((candidate) => argv.every((word, i) => candidate.words[i] === word));
    io.err(
      argv.length === 0
        ? 'missing command'
        : known
          ? `incomplete command: ${argv.join(' ')}`
          : `unknown command: ${argv.join(' ')}`,
    );
    io.err(usage(related.length > 0 ? related : commands));
    return 2;
  }
  const args = argv.slice(command.words.length);
  if (args.includes('--help') || args.includes('-h')) {
    io.out(usage([command]));
    for (const note of command.notes ?? []) io.out(`  ${note}`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    // A server the command cannot reach: the message names the variable and what to check.
    if (error instanceof UnreachableServiceError) {
      io.err(error.message);
      return 1;
    }
    // Invalid playbooks, wherever a command loads them: the validator's lines, not a stack trace.
    if (error instanceof InvalidPlaybooksError) {
      for (const line of error.message.split('\n')) io.err(line);
      io.err(invalidPlaybooksSummary(error));
      return 1;
    }
    if (!(error instanceof UsageError)) throw error;
    io.err(error.message);
    io.err(usage([command]));
    return 2;
  }
}
