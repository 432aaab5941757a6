import type { z } from 'zod';
import { describeValue } from './masking';
import { resolveRenames } from './envRenames';
import { EnvSchema, RENAMES, variableMeta, type Variable } from './envVariables';

export { EnvSchema, variableMeta, type EnvVariableMeta } from './envVariables';

/*
 * All runtime configuration comes from environment variables, checked once at start-up. A bad value
 * stops the process with the variable's name and what was expected, never a stack trace later.
 */

export interface TemporalTls {
  /** mTLS client certificate and key (PEM file paths). */
  clientCert?: { certPath: string; keyPath: string };
  caPath?: string;
}

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  apiKey?: string;
  /** Absent: plaintext, as the dev server speaks. */
  tls?: TemporalTls;
}

export interface HoldoutConfig {
  salt: string;
  globalControlPercent: number;
}

export interface Config {
  temporal: TemporalConfig;
  mongo: { uri: string; db: string };
  smtpUrl: string;
  mailFrom: string;
  twilio: {
    accountSid: string;
    authToken: string;
    from: string;
    apiBaseUrl?: string;
    timeoutMs: number;
    statusCallbackUrl?: string;
  };
  /** What the first holdout scheme is made from, when the database has none yet. */
  holdout: HoldoutConfig;
  playbooksDir: string;
  policyFile: string;
  seasonsFile: string;
  workflowBundlePath?: string;
  /** The worker's workflow cache and status line; both unset by default. */
  worker: { maxCachedWorkflows?: number; statusIntervalMs?: number };
  /** The HTTP ingestion endpoint; `tokens` is empty when INGEST_TOKENS is unset. */
  ingest: { tokens: string[]; port: number; maxBodyBytes: number; maxEventsPerRequest: number };
  /** One-click unsubscribe links in marketing email; absent when UNSUBSCRIBE_SECRETS is unset. */
  unsubscribe?: { secrets: string[]; baseUrl: string };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { variable: string; problem: string }[]) {
    super(
      `Invalid configuration (environment variables):\n` +
        problems.map((p) => `  ${p.variable}: ${p.problem}`).join('\n'),
    );
  }
}

/** Where a deprecation warning goes: a line on stderr, once per process however often settings are read. */
export type Warn = (line: string) => void;
const warned = new Set<string>();
const warnOnStderr: Warn = (line) => {
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`journeys: warning: ${line}\n`);
};

function describeVariable(name: string, value: string): string {
  const secret = name in EnvSchema.shape && variableMeta(name as Variable).env.secret === true;
  return describeValue(value, secret);
}

/** Parses the variables a schema names; every problem is reported with the variable and what it expects. */
function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv, warn: Warn): z.infer<S> {
  const names = Object.keys(schema.shape);
  const renamed = resolveRenames(
    env,
    RENAMES.filter((rename) => names.includes(rename.name)),
    describeVariable,
  );
  if (renamed.problems.length > 0) throw new ConfigError(renamed.problems);
  for (const line of renamed.warnings) warn(line);
  // An empty variable counts as unset, as shells and .env files commonly leave them.
  const input = Object.fromEntries(
    names.map((name) => [name, renamed.env[name] === '' ? undefined : renamed.env[name]]),
  );
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = String(issue.path[0]) as Variable;
      const value = input[variable];
      const shown = value === undefined ? 'is not set' : describeVariable(variable, value);
      // A refinement's own words say what exactly is wrong, after what is expected in general.
      const detail = issue.code === 'custom' ? ` (${issue.message})` : '';
      const oldName = renamed.readFrom.get(variable);
      const named = oldName === undefined ? variable : `${variable} (set as ${oldName})`;
      return {
        variable: named,
        problem: `${shown}; expected ${variableMeta(variable).description}${detail}`,
      };
    });
    throw new ConfigError(problems);
  }
  return result.data;
}

function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim());
}

/** Just MongoDB, for commands that only read and write playbooks or records. */
export function loadMongoConfig(env: NodeJS.ProcessEnv = process.env, warn = warnOnStderr): Config['mongo'] {
  const e = parseEnv(EnvSchema.pick({ MONGODB_URI: true, MONGODB_DB: true }), env, warn);
  return { uri: e.MONGODB_URI, db: e.MONGODB_DB };
}

/** Just the holdout bootstrap, for commands that make or read holdout schemes without the rest. */
export function loadHoldoutConfig(env: NodeJS.ProcessEnv = process.env, warn = warnOnStderr): HoldoutConfig {
  const e = parseEnv(EnvSchema.pick({ HOLDOUT_SALT: true, HOLDOUT_GLOBAL_CONTROL_PERCENT: true }), env, warn);
  return { salt: e.HOLDOUT_SALT, globalControlPercent: e.HOLDOUT_GLOBAL_CONTROL_PERCENT };
}

/**
 * The content files offline commands read (simulate, report lift, seasons sync), as the worker reads
 * them, without demanding the server settings those commands have no use for.
 */
export function loadContentFiles(
  env: NodeJS.ProcessEnv = process.env,
  warn = warnOnStderr,
): Pick<Config, 'playbooksDir' | 'policyFile' | 'seasonsFile'> {
  const e = parseEnv(
    EnvSchema.pick({ PLAYBOOKS_DIR: true, POLICY_FILE: true, SEASONS_FILE: true }),
    env,
    warn,
  );
  return { playbooksDir: e.PLAYBOOKS_DIR, policyFile: e.POLICY_FILE, seasonsFile: e.SEASONS_FILE };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, warn = warnOnStderr): Config {
  const result = { data: parseEnv(EnvSchema, env, warn) };
  const e = result.data;
  if ((e.TEMPORAL_TLS_CERT === undefined) !== (e.TEMPORAL_TLS_KEY === undefined)) {
    const variable = e.TEMPORAL_TLS_CERT === undefined ? 'TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_KEY';
    throw new ConfigError([
      { variable, problem: `is not set; expected ${variableMeta(variable).description} (mTLS needs both)` },
    ]);
  }
  const config: Config = {
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
    },
    mongo: { uri: e.MONGODB_URI, db: e.MONGODB_DB },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    twilio: {
      accountSid: e.TWILIO_ACCOUNT_SID,
      authToken: e.TWILIO_AUTH_TOKEN,
      from: e.TWILIO_FROM,
      timeoutMs: e.TWILIO_TIMEOUT_MS,
    },
    holdout: { salt: e.HOLDOUT_SALT, globalControlPercent: e.HOLDOUT_GLOBAL_CONTROL_PERCENT },
    playbooksDir: e.PLAYBOOKS_DIR,
    policyFile: e.POLICY_FILE,
    seasonsFile: e.SEASONS_FILE,
    worker: {},
    ingest: {
      tokens: e.INGEST_TOKENS === undefined ? [] : splitList(e.INGEST_TOKENS),
      port: e.INGEST_PORT,
      maxBodyBytes: e.INGEST_MAX_BODY_BYTES,
      maxEventsPerRequest: e.INGEST_MAX_EVENTS_PER_REQUEST,
    },
  };
  if (e.TEMPORAL_API_KEY !== undefined) config.temporal.apiKey = e.TEMPORAL_API_KEY;
  if (e.TEMPORAL_TLS === 'true' || e.TEMPORAL_API_KEY !== undefined || e.TEMPORAL_TLS_CERT !== undefined) {
    const tls: TemporalTls = {};
    if (e.TEMPORAL_TLS_CERT !== undefined && e.TEMPORAL_TLS_KEY !== undefined) {
      tls.clientCert = { certPath: e.TEMPORAL_TLS_CERT, keyPath: e.TEMPORAL_TLS_KEY };
    }
    if (e.TEMPORAL_TLS_CA !== undefined) tls.caPath = e.TEMPORAL_TLS_CA;
    config.temporal.tls = tls;
  }
  if (e.TWILIO_API_BASE_URL !== undefined) config.twilio.apiBaseUrl = e.TWILIO_API_BASE_URL;
  if (e.TWILIO_STATUS_CALLBACK_URL !== undefined)
    config.twilio.statusCallbackUrl = e.TWILIO_STATUS_CALLBACK_URL;
  if (e.WORKFLOW_BUNDLE_FILE !== undefined) config.workflowBundlePath = e.WORKFLOW_BUNDLE_FILE;
  if (e.WORKER_MAX_CACHED_WORKFLOWS !== undefined)
    config.worker.maxCachedWorkflows = e.WORKER_MAX_CACHED_WORKFLOWS;
  if (e.WORKER_STATUS_INTERVAL_MS !== undefined) config.worker.statusIntervalMs = e.WORKER_STATUS_INTERVAL_MS;
  if (e.UNSUBSCRIBE_SECRETS !== undefined) {
    config.unsubscribe = {
      secrets: splitList(e.UNSUBSCRIBE_SECRETS),
      // The endpoint is served by `journeys ingest serve` on INGEST_PORT, so on one machine (the dev
      // stack, the demo) the links work unconfigured, as TEMPORAL_ADDRESS defaults to loopback.
      // Production must set the public URL: the worker prints where its links point at start-up.
      baseUrl: e.UNSUBSCRIBE_BASE_URL ?? `http://127.0.0.1:${e.INGEST_PORT}`,
    };
  }
  return config;
}
