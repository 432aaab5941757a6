/*
 * Renamed environment variables: a deployment configured with an old name keeps starting. The old
 * name is read as the new one with a one-line warning that names the new variable; both set to
 * different values is an error, since either choice would silently drop what someone set.
 */

export interface Rename {
  /** The variable's current name. */
  name: string;
  /** The name it had before, still read. */
  oldName: string;
}

export interface RenameProblem {
  variable: string;
  problem: string;
}

export interface ResolvedRenames {
  /** The environment with each renamed variable's value under its new name. */
  env: NodeJS.ProcessEnv;
  /** One line per old name in use, for the operator. */
  warnings: string[];
  problems: RenameProblem[];
  /** Which old name a variable's value came from, so an error about the value can name it. */
  readFrom: Map<string, string>;
}

/** An empty variable counts as unset, as shells and .env files commonly leave them. */
function valueOf(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === '' ? undefined : value;
}

export function deprecationWarning(rename: Rename): string {
  return `${rename.oldName} is deprecated: it is read as ${rename.name}, its new name; set ${rename.name} instead`;
}

/**
 * Reads each old name as its new one. `describe` shows a value in an error (secrets masked), as the
 * other configuration errors show it.
 */
export function resolveRenames(
  env: NodeJS.ProcessEnv,
  renames: readonly Rename[],
  describe: (name: string, value: string) => string,
): ResolvedRenames {
  const resolved: ResolvedRenames = { env: { ...env }, warnings: [], problems: [], readFrom: new Map() };
  for (const rename of renames) {
    const old = valueOf(env, rename.oldName);
    if (old === undefined) continue;
    const current = valueOf(env, rename.name);
    if (current !== undefined && current !== old) {
      resolved.problems.push({
        variable: rename.name,
        problem:
          `${describe(rename.name, current)}, but its old name ${rename.oldName} ${describe(rename.oldName, old)}: ` +
          `set only ${rename.name}`,
      });
      continue;
    }
    resolved.warnings.push(deprecationWarning(rename));
    if (current === undefined) {
      resolved.env[rename.name] = old;
      resolved.readFrom.set(rename.name, rename.oldName);
    }
  }
  return resolved;
}
