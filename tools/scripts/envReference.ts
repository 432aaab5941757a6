import { join, relative } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { z } from 'zod';
import { EnvSchema, variableMeta } from '../../schemas/envVariables';

/*
 * docs/configuration.md, written from schemas/envVariables.ts: every variable's name, default, when it is
 * required, description and old name come from the schema and its .meta(), so the reference
 * cannot drift from what the worker and the CLI check (test/envReference.test.ts fails if it does).
 */

export const ENV_REFERENCE_FILE = join(__dirname, '..', '..', 'docs', 'configuration.md');
const ROOT = join(__dirname, '..', '..');

type Variable = keyof typeof EnvSchema.shape;

/** A default as the reader needs it: paths in the checkout relative to it, not this machine's. */
function defaultOf(name: Variable): string | undefined {
  const { env } = variableMeta(name);
  if (env.defaultText !== undefined) return `default ${env.defaultText}`;
  const schema = EnvSchema.shape[name];
  if (!(schema instanceof z.ZodDefault)) return undefined;
  const value: unknown = schema.def.defaultValue;
  const text = typeof value === 'string' && value.startsWith(ROOT) ? relative(ROOT, value) : String(value);
  return `default \`${text}\``;
}

/** "required", with when or by whom; undefined for a variable that may stay unset. */
function requiredOf(name: Variable): string | undefined {
  const schema = EnvSchema.shape[name];
  const { env } = variableMeta(name);
  const optional = schema instanceof z.ZodDefault || schema instanceof z.ZodOptional;
  if (optional && env.requiredWhen === undefined) return undefined;
  return env.requiredWhen === undefined ? 'required' : `required ${env.requiredWhen}`;
}

/** One bullet per variable: name, default, when required, what it holds, its old name. */
function variables(): string[] {
  return (Object.keys(EnvSchema.shape) as Variable[]).map((name) => {
    const { description, env } = variableMeta(name);
    const facts = [requiredOf(name), defaultOf(name)].filter((fact) => fact !== undefined);
    if (env.secret) facts.push('secret: errors mask it or leave it out');
    if (env.oldName !== undefined) facts.push(`old name \`${env.oldName}\`, still read`);
    const said = facts.length === 0 ? '' : ` (${facts.join('; ')})`;
    return `- **\`${name}\`**${said}: ${description}.`;
  });
}

/** The file's exact text, formatted the way `prettier --check` wants it. */
export async function renderEnvReference(): Promise<string> {
  const text = [
    '<!-- Generated from schemas/envVariables.ts by `npm run env:reference`; edit the schema, not this file. -->',
    '',
    '# Configuration: environment variables',
    '',
    'The worker and the `journeys` CLI read their configuration from environment variables, checked at',
    'start-up (`schemas/envVariables.ts`, read by `schemas/env.ts`). A missing or invalid value stops the process with the variable, its value',
    '(secrets masked or not shown) and what the table below says it must hold. An empty variable counts as',
    'unset. Commands that need only part of it (`explain`, `report lift`, `simulate`, `playbooks …`, `holdouts …`)',
    'check only that part.',
    '',
    '**Names.** A variable that holds a path ends in `_DIR` (a folder) or `_FILE` (a file), never `_PATH`.',
    "The `TEMPORAL_` variables keep the names Temporal's own tools read (`TEMPORAL_TLS_CERT`, `_KEY` and",
    "`_CA` are the Temporal UI server's), so one set of variables configures both.",
    '',
    '**Renamed variables.** An old name is still read as the new one, with one warning line on start',
    '(`journeys: warning: WORKFLOW_BUNDLE_PATH is deprecated: … set WORKFLOW_BUNDLE_FILE instead`); set',
    'under both names to different values, it stops the process with an error naming both.',
    '',
    ...variables(),
    '',
    '## Variables of the tooling',
    '',
    'Read only by the dev stack, the tests and the benchmarks (`tools/`), never by the worker or the CLI:',
    '',
    '| variable | default | what it holds | old name (still read) |',
    '| --- | --- | --- | --- |',
    '| `JOURNEYS_CACHE_DIR` | `~/.cache/journeys` | where `npm run setup` keeps the servers it builds | |',
    '| `JOURNEYS_DATA_DIR` | `.data` | the data folder of `npm run stack` (Temporal, FerretDB, mail) | |',
    '| `CHROMIUM_FILE` | `/usr/bin/chromium` | the Chromium the Temporal UI browser test drives | `CHROMIUM_PATH` |',
    '| `CPU_PROFILE_DIR` | – | set by `tools/bench`: where a benchmarked process writes its CPU profile | |',
    '| `BARE_BUNDLE_FILE` | – | a prebuilt bundle for the bare baseline worker of `tools/bench` | `BARE_BUNDLE_PATH` |',
    '| `RECORD_HISTORIES` | – | `1` records the replay histories again (`test/support/histories.ts`) | |',
    '',
  ].join('\n');
  const options = await resolveConfig(ENV_REFERENCE_FILE);
  return format(text, { ...options, filepath: ENV_REFERENCE_FILE });
}
