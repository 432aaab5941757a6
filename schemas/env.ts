import { z } from 'zod';
import { resolve } from 'node:path';
import { DEFAULT_MAX_EVENTS_PER_REQUEST, MIN_SECRET_LENGTH } from './limits';
import { describeValue } from './masking';

/*
 * All runtime configuration comes from environment variables, checked once at start-up. A bad value
 * stops the process with the variable's name and what was expected, never a stack trace later.
 */

const HOST_PORT = /^[^:\s]+:\d{1,5}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
// RFC 6750 token68: the characters a bearer token may carry in an Authorization header.
const TOKEN68 = '[A-Za-z0-9._~+/-]+=*';
const TOKEN_LIST = new RegExp(`^${TOKEN68}(\\s*,\\s*${TOKEN68})*$`);
const SECRET_ITEM = `[^,\\s]{${MIN_SECRET_LENGTH},}`;
const SECRET_LIST = new RegExp(`^${SECRET_ITEM}(\\s*,\\s*${SECRET_ITEM})*$`);

/** What each variable must hold, in words, for the error message. */
const EXPECTED = {
  TEMPORAL_ADDRESS: 'host:port of the Temporal frontend, e.g. 127.0.0.1:7233',
  TEMPORAL_NAMESPACE: 'a Temporal namespace name',
  TEMPORAL_TASK_QUEUE: 'a task queue name',
  TEMPORAL_API_KEY: 'a Temporal Cloud API key (turns TLS on)',
  TEMPORAL_TLS: '"true" or "false": TLS to the Temporal frontend with the system CAs',
  TEMPORAL_TLS_CERT: 'the path of a PEM client certificate for mTLS (with TEMPORAL_TLS_KEY)',
  TEMPORAL_TLS_KEY: 'the path of the PEM private key of TEMPORAL_TLS_CERT',
  TEMPORAL_TLS_CA: 'the path of a PEM CA certificate that signed the server certificate',
  MONGODB_URI: 'a mongodb:// or mongodb+srv:// connection string',
  MONGODB_DB: 'a database name',
  SMTP_URL: 'an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587',
  MAIL_FROM: 'the From address of journey emails, e.g. "Shop <shop@example.com>"',
  TWILIO_ACCOUNT_SID: 'a Twilio Account SID: AC followed by 32 hex digits',
  TWILIO_AUTH_TOKEN: 'the Twilio auth token',
  TWILIO_FROM: 'the sending phone number in E.164 form, e.g. +15005550006',
  TWILIO_API_BASE_URL: 'an http(s) URL of a Twilio-compatible API; leave unset for Twilio itself',
  TWILIO_TIMEOUT_MS: 'how long a Twilio API call may take, in milliseconds (an integer from 100 to 29000)',
  TWILIO_STATUS_CALLBACK_URL:
    'the http(s) URL Twilio posts delivery receipts to; each message adds its idempotency key as ?key=',
  HOLDOUT_SALT:
    'a non-empty string: the salt of the first holdout scheme (later ones come from `journeys holdouts reshuffle`)',
  HOLDOUT_GLOBAL_CONTROL_PERCENT:
    'a percentage from 0 to 100 with at most two decimals: the global control group of the first holdout scheme',
  PLAYBOOKS_DIR: 'the directory of the active playbook files',
  POLICY_FILE: 'the contact policy file (YAML or JSON)',
  SEASONS_FILE: 'the seasonal calendar file (YAML or JSON) that `journeys seasons sync` schedules',
  WORKFLOW_BUNDLE_PATH: 'the path of a prebuilt workflow bundle (npm run build:bundle)',
  WORKER_MAX_CACHED_WORKFLOWS:
    'how many workflow runs the worker keeps in memory between tasks (a positive integer; unset, the SDK sizes it from the heap)',
  WORKER_STATUS_INTERVAL_MS:
    'how often the worker prints a status line (cached runs, memory), in milliseconds (an integer from 100 up)',
  INGEST_TOKENS:
    'comma-separated bearer tokens the HTTP ingestion endpoint accepts (letters, digits, ._~+/-)',
  INGEST_PORT: 'the port of the HTTP ingestion endpoint, an integer from 1 to 65535',
  INGEST_MAX_BODY_BYTES:
    'the largest request body the HTTP ingestion endpoint reads, in bytes (a positive integer)',
  INGEST_MAX_EVENTS_PER_REQUEST:
    'the most events one request to the HTTP ingestion endpoint may hold (an integer from 1 to 10000)',
  UNSUBSCRIBE_SECRETS:
    `comma-separated secrets that sign unsubscribe links, each at least ${MIN_SECRET_LENGTH} characters ` +
    'without spaces (e.g. from `openssl rand -base64 32`); the first signs, all verify',
  UNSUBSCRIBE_BASE_URL:
    'the public https URL of the ingest server, where unsubscribe links point, e.g. https://mail.example.com ' +
    '(no query or fragment; RFC 8058 one-click unsubscribe requires https, and plain http is allowed only ' +
    'on a loopback host such as 127.0.0.1 or localhost, as the dev stack uses)',
} as const;
type Variable = keyof typeof EXPECTED;

const SECRET: ReadonlySet<Variable> = new Set([
  'TWILIO_AUTH_TOKEN',
  'MONGODB_URI',
  'SMTP_URL',
  'TEMPORAL_API_KEY',
  'INGEST_TOKENS',
  'UNSUBSCRIBE_SECRETS',
]);

const nonEmpty = z.string().trim().min(1);
/** Digits only, so "0x50", "1e3" or "80.0" are refused rather than read as something unintended. */
const integer = (min: number, max: number) =>
  nonEmpty.regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));

const EnvSchema = z.object({
  TEMPORAL_ADDRESS: nonEmpty
    .regex(HOST_PORT)
    .refine((value) => validPort(value.slice(value.lastIndexOf(':') + 1)), 'the port must be from 1 to 65535')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: nonEmpty.default('default'),
  TEMPORAL_TASK_QUEUE: nonEmpty.default('journeys'),
  TEMPORAL_API_KEY: nonEmpty.optional(),
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_TLS_CERT: nonEmpty.optional(),
  TEMPORAL_TLS_KEY: nonEmpty.optional(),
  TEMPORAL_TLS_CA: nonEmpty.optional(),
  MONGODB_URI: nonEmpty.regex(/^mongodb(\+srv)?:\/\/\S+$/),
  MONGODB_DB: nonEmpty.regex(/^[^/\\. "$]+$/).default('journeys'),
  SMTP_URL: nonEmpty
    .regex(/^smtps?:\/\/\S+$/)
    .refine(
      decodableUserinfo,
      'the user name or password holds a % that is not a %-escape: write a % in them as %25',
    ),
  MAIL_FROM: nonEmpty.default('Journeys <journeys@localhost>'),
  TWILIO_ACCOUNT_SID: nonEmpty.regex(/^AC[0-9a-fA-F]{32}$/),
  TWILIO_AUTH_TOKEN: nonEmpty,
  TWILIO_FROM: nonEmpty.regex(E164),
  TWILIO_API_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  // Below the send activities' 30 s start-to-close timeout, so a hung call fails inside the
  // activity as a retryable, reconcilable error rather than as an activity timeout.
  TWILIO_TIMEOUT_MS: integer(100, 29_000).default(15_000),
  TWILIO_STATUS_CALLBACK_URL: z.url({ protocol: /^https?$/ }).optional(),
  // Both only make epoch 1 of the holdout schemes, on a database that has none (store/holdouts.ts).
  // After that the recorded scheme rules: changing these does not reshuffle anyone, which is what
  // makes a reshuffle an explicit, recorded act (`journeys holdouts reshuffle`) and not a config slip.
  HOLDOUT_SALT: nonEmpty.default('journeys-holdout-v1'),
  HOLDOUT_GLOBAL_CONTROL_PERCENT: nonEmpty
    .regex(/^\d{1,3}(\.\d{1,2})?$/)
    .transform(Number)
    .pipe(z.number().min(0).max(100))
    .default(5),
  PLAYBOOKS_DIR: nonEmpty.default(resolve(__dirname, '..', 'playbooks')),
  POLICY_FILE: nonEmpty.default(resolve(__dirname, '..', 'policy', 'workspace.yaml')),
  SEASONS_FILE: nonEmpty.default(resolve(__dirname, '..', 'policy', 'seasons.yaml')),
  WORKFLOW_BUNDLE_PATH: nonEmpty.optional(),
  WORKER_MAX_CACHED_WORKFLOWS: integer(1, 10_000_000).optional(),
  WORKER_STATUS_INTERVAL_MS: integer(100, 86_400_000).optional(),
  INGEST_TOKENS: nonEmpty.regex(TOKEN_LIST).optional(),
  INGEST_PORT: integer(1, 65535).default(8080),
  INGEST_MAX_BODY_BYTES: integer(1, Number.MAX_SAFE_INTEGER).default(1024 * 1024),
  INGEST_MAX_EVENTS_PER_REQUEST: integer(1, 10_000).default(DEFAULT_MAX_EVENTS_PER_REQUEST),
  // No default, as for the other secrets: a default would be public, and anyone could sign an
  // opt-out for any customer. Unset, marketing mail carries no unsubscribe link and the ingest
  // server has no /unsubscribe; the dev stack sets a development secret (tools/devstack/stack.ts).
  UNSUBSCRIBE_SECRETS: nonEmpty.regex(SECRET_LIST).optional(),
  // Its default depends on INGEST_PORT, so it is filled in by loadConfig.
  // https, as RFC 8058 requires of List-Unsubscribe. A loopback link only ever works on the
  // sender's own machine, so http there is the dev stack (and its default below), never production.
  UNSUBSCRIBE_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .regex(/^[^?#]*$/)
    .refine((url) => url.toLowerCase().startsWith('https:') || isLoopbackHost(new URL(url).hostname))
    .optional(),
});

/** 127.0.0.0/8, ::1 and localhost (RFC 6761: `*.localhost` too): names that never leave the machine. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === '[::1]' ||
    host === 'localhost' ||
    host.endsWith('.localhost')
  );
}

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

/** Parses the variables a schema names; every problem is reported with the variable and what it expects. */
function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  // An empty variable counts as unset, as shells and .env files commonly leave them.
  const input = Object.fromEntries(
    Object.keys(schema.shape).map((name) => [name, env[name] === '' ? undefined : env[name]]),
  );
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = String(issue.path[0]) as Variable;
      const value = input[variable];
      const shown = value === undefined ? 'is not set' : describeValue(value, SECRET.has(variable));
      // A refinement's own words say what exactly is wrong, after what is expected in general.
      const detail = issue.code === 'custom' ? ` (${issue.message})` : '';
      return { variable, problem: `${shown}; expected ${EXPECTED[variable]}${detail}` };
    });
    throw new ConfigError(problems);
  }
  return result.data;
}

function validPort(text: string): boolean {
  const port = Number(text);
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** Whether a URL's user name and password decode, as the mailer decodes them (decodeURIComponent). */
function decodableUserinfo(value: string): boolean {
  try {
    const url = new URL(value);
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
    return true;
  } catch {
    return false;
  }
}

function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim());
}

/** Just MongoDB, for commands that only read and write playbooks or records. */
export function loadMongoConfig(env: NodeJS.ProcessEnv = process.env): Config['mongo'] {
  const e = parseEnv(EnvSchema.pick({ MONGODB_URI: true, MONGODB_DB: true }), env);
  return { uri: e.MONGODB_URI, db: e.MONGODB_DB };
}

/** Just the holdout bootstrap, for commands that make or read holdout schemes without the rest. */
export function loadHoldoutConfig(env: NodeJS.ProcessEnv = process.env): HoldoutConfig {
  const e = parseEnv(EnvSchema.pick({ HOLDOUT_SALT: true, HOLDOUT_GLOBAL_CONTROL_PERCENT: true }), env);
  return { salt: e.HOLDOUT_SALT, globalControlPercent: e.HOLDOUT_GLOBAL_CONTROL_PERCENT };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = { data: parseEnv(EnvSchema, env) };
  const e = result.data;
  if ((e.TEMPORAL_TLS_CERT === undefined) !== (e.TEMPORAL_TLS_KEY === undefined)) {
    const variable = e.TEMPORAL_TLS_CERT === undefined ? 'TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_KEY';
    throw new ConfigError([
      { variable, problem: `is not set; expected ${EXPECTED[variable]} (mTLS needs both)` },
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
  if (e.WORKFLOW_BUNDLE_PATH !== undefined) config.workflowBundlePath = e.WORKFLOW_BUNDLE_PATH;
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
