import { parseArgs } from 'node:util';
import { UsageError } from './command';

/*
 * The option parser every `journeys` command shares: node's own parseArgs, strict, so an unknown
 * option, an option without its value or an argument where none is expected is a usage error.
 * On top of it, an option that takes one value may be given once: parseArgs would keep the last,
 * which is how `simulate --playbooks a --playbooks b` silently simulated only b.
 */

export type OptionKinds = Record<string, 'string' | 'boolean'>;

export type OptionValues<K extends OptionKinds> = {
  [N in keyof K]?: K[N] extends 'string' ? string : boolean;
};

export interface ParsedOptions<K extends OptionKinds> {
  values: OptionValues<K>;
  positionals: string[];
}

/** The option a parseArgs message quotes, e.g. `--customer` from "Option '--customer <value>' …". */
function quotedOption(message: string): string {
  return /'(-[^' ]+)/.exec(message)?.[1] ?? '';
}

/** parseArgs's errors as the short usage messages the commands have always printed. */
function usageError(error: Error & { code?: string }): UsageError {
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option ${quotedOption(error.message)}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = quotedOption(error.message);
      return new UsageError(
        /does not take an argument/.test(error.message)
          ? `${option} takes no value`
          : `${option} needs a value`,
      );
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument "${/'([^']*)'/.exec(error.message)?.[1] ?? ''}"`);
    default:
      return new UsageError(error.message);
  }
}

/**
 * `--name value` (or `--name=value`) options of the given kinds, and up to `maxPositionals` plain
 * arguments. Throws UsageError for anything else, and for a value option given twice or empty.
 */
export function parseOptions<K extends OptionKinds>(
  args: readonly string[],
  kinds: K,
  maxPositionals = 0,
): ParsedOptions<K> {
  const options = Object.fromEntries(Object.entries(kinds).map(([name, type]) => [name, { type }]));
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    throw usageError(error as Error & { code?: string });
  }
  const given = new Map<string, string[]>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || kinds[token.name] !== 'string') continue;
    if (token.value === '') throw new UsageError(`--${token.name} needs a value`);
    given.set(token.name, [...(given.get(token.name) ?? []), token.value ?? '']);
  }
  for (const [name, values] of given) {
    if (values.length < 2) continue;
    throw new UsageError(
      `--${name} is given ${values.length === 2 ? 'twice' : `${values.length} times`} ` +
        `(${values.map((value) => `"${value}"`).join(', ')}); it takes one value: give it once`,
    );
  }
  const [extra] = parsed.positionals.slice(maxPositionals);
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  return { values: { ...parsed.values } as OptionValues<K>, positionals: parsed.positionals };
}

/**
 * The one input a command acts on (cli/command.ts): its positional argument, or the flag that was
 * its old form, still accepted. Both, or neither, is a usage error naming the positional form.
 */
export function commandInput(
  parsed: { positionals: readonly string[]; oldFlag: string | undefined },
  oldFlagName: string,
  usage: string,
): string {
  const [positional] = parsed.positionals;
  if (positional !== undefined && parsed.oldFlag !== undefined)
    throw new UsageError(
      `${usage} is given twice ("${positional}" and --${oldFlagName} "${parsed.oldFlag}"): give it once, as ${usage}`,
    );
  const input = positional ?? parsed.oldFlag;
  if (input === undefined) throw new UsageError(`missing ${usage}`);
  return input;
}
