import { z } from 'zod';
import { resolve } from 'node:path';
import { DEFAULT_MAX_EVENTS_PER_REQUEST, MIN_SECRET_LENGTH } from './limits';
import type { Rename } from './envRenames';

/*
 * The environment variables: each one's schema, default and description in one place. The loader
 * (schemas/env.ts) reads them once at start-up, and docs/configuration.md is generated from here.
 */

const HOST_PORT = /^[^:\s]+:\d{1,5}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
// RFC 6750 token68: the characters a bearer token may carry in an Authorization header.
const TOKEN68 = '[A-Za-z0-9._~+/-]+=*';
const TOKEN_LIST = new RegExp(`^${TOKEN68}(\\s*,\\s*${TOKEN68})*$`);
const SECRET_ITEM = `[^,\\s]{${MIN_SECRET_LENGTH},}`;
const SECRET_LIST = new RegExp(`^${SECRET_ITEM}(\\s*,\\s*${SECRET_ITEM})*$`);

declare module 'zod' {
  interface GlobalMeta {
    /** What the configuration reference says of a variable beyond its description. */
    env?: EnvVariableMeta;
  }
}

export interface EnvVariableMeta {
  /** Shown in an error only masked, or not at all (schemas/masking.ts). */
  secret?: true;
  /** When a variable the schema lets be unset is needed after all, or who needs a required one. */
  requiredWhen?: string;
  /** The default in words, where the schema's default is computed or unset means something. */
  defaultText?: string;
  /** The variable's earlier name, still read (schemas/envRenames.ts). */
  oldName?: string;
}

/*
 * Each variable's description says what it must hold, in words: it is the "expected …" of the error
 * message and the description in docs/configuration.md (`npm run env:reference` writes it from here).
 *
 * Names: a variable that holds a path ends in _DIR (a folder) or _FILE (a file), never _PATH. The
 * TEMPORAL_ variables keep the names Temporal's own tools read (TEMPORAL_TLS_CERT, _KEY and _CA
 * are the Temporal UI server's), so one set of variables configures both.
 */

const nonEmpty = z.string().trim().min(1);
/** Digits only, so "0x50", "1e3" or "80.0" are refused rather than read as something unintended. */
const integer = (min: number, max: number) =>
  nonEmpty.regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));

/** Needed by the worker and by every command that reaches Temporal. */
const FOR_THE_WORKER = 'by the worker and by `events publish`, `ingest serve` and `seasons sync`';

export const EnvSchema = z.object({
  TEMPORAL_ADDRESS: nonEmpty
    .regex(HOST_PORT)
    .refine((value) => validPort(value.slice(value.lastIndexOf(':') + 1)), 'the port must be from 1 to 65535')
    .default('127.0.0.1:7233')
    .meta({ description: 'host:port of the Temporal frontend, e.g. 127.0.0.1:7233' }),
  TEMPORAL_NAMESPACE: nonEmpty.default('default').meta({ description: 'a Temporal namespace name' }),
  TEMPORAL_TASK_QUEUE: nonEmpty
    .default('journeys')
    .meta({ description: 'a task queue name: the one the journey workers poll' }),
  TEMPORAL_API_KEY: nonEmpty
    .optional()
    .meta({ description: 'a Temporal Cloud API key (turns TLS on)', env: { secret: true } }),
  TEMPORAL_TLS: z
    .enum(['true', 'false'])
    .optional()
    .meta({
      description: '"true" or "false": TLS to the Temporal frontend with the system CAs',
      env: { defaultText: '`false`, but on with TEMPORAL_API_KEY or TEMPORAL_TLS_CERT' },
    }),
  TEMPORAL_TLS_CERT: nonEmpty.optional().meta({
    description: 'the path of a PEM client certificate for mTLS (with TEMPORAL_TLS_KEY)',
    env: { requiredWhen: 'with TEMPORAL_TLS_KEY (mTLS needs both)' },
  }),
  TEMPORAL_TLS_KEY: nonEmpty.optional().meta({
    description: 'the path of the PEM private key of TEMPORAL_TLS_CERT',
    env: { requiredWhen: 'with TEMPORAL_TLS_CERT (mTLS needs both)' },
  }),
  TEMPORAL_TLS_CA: nonEmpty.optional().meta({
    description: 'the path of a PEM CA certificate that signed the server certificate',
    env: { defaultText: 'the system CAs' },
  }),
  MONGODB_URI: nonEmpty.regex(/^mongodb(\+srv)?:\/\/\S+$/).meta({
    description: 'a mongodb:// or mongodb+srv:// connection string',
    env: { secret: true, requiredWhen: 'by the worker and every command that reads or writes the database' },
  }),
  MONGODB_DB: nonEmpty
    .regex(/^[^/\\. "$]+$/)
    .default('journeys')
    .meta({ description: 'a database name' }),
  SMTP_URL: nonEmpty
    .regex(/^smtps?:\/\/\S+$/)
    .refine(
      decodableUserinfo,
      'the user name or password holds a % that is not a %-escape: write a % in them as %25',
    )
    .meta({
      description:
        'an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587 (STARTTLS when offered) or smtps://…:465',
      env: { secret: true, requiredWhen: FOR_THE_WORKER },
    }),
  MAIL_FROM: nonEmpty.default('Journeys <journeys@localhost>').meta({
    description:
      'the From address of journey emails, e.g. "Shop <shop@example.com>"; its domain ends every Message-ID and List-Id',
  }),
  TWILIO_ACCOUNT_SID: nonEmpty.regex(/^AC[0-9a-fA-F]{32}$/).meta({
    description: 'a Twilio Account SID: AC followed by 32 hex digits',
    env: { requiredWhen: FOR_THE_WORKER },
  }),
  TWILIO_AUTH_TOKEN: nonEmpty.meta({
    description: 'the Twilio auth token',
    env: { secret: true, requiredWhen: FOR_THE_WORKER },
  }),
  TWILIO_FROM: nonEmpty.regex(E164).meta({
    description: 'the sending phone number in E.164 form, e.g. +15005550006',
    env: { requiredWhen: FOR_THE_WORKER },
  }),
  TWILIO_API_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      description:
        'an http(s) URL of a Twilio-compatible API (the dev stack sets its own); leave unset for Twilio itself',
      env: { defaultText: 'Twilio' },
    }),
  // Below the send activities' 30 s start-to-close timeout, so a hung call fails inside the
  // activity as a retryable, reconcilable error rather than as an activity timeout.
  TWILIO_TIMEOUT_MS: integer(100, 29_000).default(15_000).meta({
    description:
      "how long a Twilio API call may take, in milliseconds (an integer from 100 to 29000, below the send activity's 30 s)",
  }),
  TWILIO_STATUS_CALLBACK_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      description:
        'the http(s) URL Twilio posts delivery receipts to; each message adds its idempotency key as ?key=',
    }),
  // Both only make epoch 1 of the holdout schemes, on a database that has none (store/holdouts.ts).
  // After that the recorded scheme rules: changing these does not reshuffle anyone, which is what
  // makes a reshuffle an explicit, recorded act (`journeys holdouts reshuffle`) and not a config slip.
  HOLDOUT_SALT: nonEmpty.default('journeys-holdout-v1').meta({
    description:
      'a non-empty string: the salt of the first holdout scheme (later ones come from `journeys holdouts reshuffle`)',
  }),
  HOLDOUT_GLOBAL_CONTROL_PERCENT: nonEmpty
    .regex(/^\d{1,3}(\.\d{1,2})?$/)
    .transform(Number)
    .pipe(z.number().min(0).max(100))
    .default(5)
    .meta({
      description:
        'a percentage from 0 to 100 with at most two decimals: the global control group of the first holdout scheme (ignored once one is recorded)',
    }),
  PLAYBOOKS_DIR: nonEmpty.default(resolve(__dirname, '..', 'playbooks')).meta({
    description:
      'the folder of playbook files that `npm run demo` publishes and activates; the worker and the router ' +
      'never read it: they run the versions stored with `journeys playbooks publish` and `activate`',
  }),
  POLICY_FILE: nonEmpty.default(resolve(__dirname, '..', 'policy', 'workspace.yaml')).meta({
    description:
      'the contact policy file (YAML or JSON) the worker and the router apply, and `journeys simulate` and `report lift` read',
  }),
  SEASONS_FILE: nonEmpty.default(resolve(__dirname, '..', 'policy', 'seasons.yaml')).meta({
    description: 'the seasonal calendar file (YAML or JSON) that `journeys seasons sync` schedules',
  }),
  WORKFLOW_BUNDLE_FILE: nonEmpty.optional().meta({
    description: 'the path of a prebuilt workflow bundle (npm run build:bundle)',
    env: {
      oldName: 'WORKFLOW_BUNDLE_PATH',
      defaultText: 'none: the worker bundles the workflows at start-up',
    },
  }),
  WORKER_MAX_CACHED_WORKFLOWS: integer(1, 10_000_000)
    .optional()
    .meta({
      description:
        'how many workflow runs the worker keeps in memory between tasks (a positive integer; unset, the SDK sizes it from the heap)',
      env: { defaultText: "the SDK's, from the heap size" },
    }),
  WORKER_STATUS_INTERVAL_MS: integer(100, 86_400_000)
    .optional()
    .meta({
      description:
        'how often the worker prints a status line (`worker: status {cachedWorkflows, rssBytes, …}`), in milliseconds (an integer from 100 up)',
      env: { defaultText: 'none: no status line' },
    }),
  INGEST_TOKENS: nonEmpty
    .regex(TOKEN_LIST)
    .optional()
    .meta({
      description:
        'comma-separated bearer tokens the HTTP ingestion endpoint accepts (letters, digits, ._~+/-)',
      env: { secret: true, requiredWhen: 'by `journeys ingest serve`' },
    }),
  INGEST_PORT: integer(1, 65535)
    .default(8080)
    .meta({ description: 'the port of the HTTP ingestion endpoint, an integer from 1 to 65535' }),
  INGEST_MAX_BODY_BYTES: integer(1, Number.MAX_SAFE_INTEGER)
    .default(1024 * 1024)
    .meta({
      description:
        'the largest request body the HTTP ingestion endpoint reads, in bytes (a positive integer)',
    }),
  INGEST_MAX_EVENTS_PER_REQUEST: integer(1, 10_000).default(DEFAULT_MAX_EVENTS_PER_REQUEST).meta({
    description:
      'the most events one request to the HTTP ingestion endpoint may hold (an integer from 1 to 10000); more is refused with 413',
  }),
  // No default, as for the other secrets: a default would be public, and anyone could sign an
  // opt-out for any customer. Unset, marketing mail carries no unsubscribe link and the ingest
  // server has no /unsubscribe; the dev stack sets a development secret (tools/devstack/stack.ts).
  UNSUBSCRIBE_SECRETS: nonEmpty
    .regex(SECRET_LIST)
    .optional()
    .meta({
      description:
        `comma-separated secrets that sign unsubscribe links, each at least ${MIN_SECRET_LENGTH} characters ` +
        'without spaces (e.g. from `openssl rand -base64 32`); the first signs, all verify',
      env: { secret: true, defaultText: 'none: marketing email goes out without an unsubscribe link' },
    }),
  // Its default depends on INGEST_PORT, so it is filled in by loadConfig.
  // https, as RFC 8058 requires of List-Unsubscribe. A loopback link only ever works on the
  // sender's own machine, so http there is the dev stack (and its default below), never production.
  UNSUBSCRIBE_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .regex(/^[^?#]*$/)
    .refine((url) => url.toLowerCase().startsWith('https:') || isLoopbackHost(new URL(url).hostname))
    .optional()
    .meta({
      description:
        'the public https URL of the ingest server, where unsubscribe links point, e.g. https://mail.example.com ' +
        '(no query or fragment; RFC 8058 one-click unsubscribe requires https, and plain http is allowed only ' +
        'on a loopback host such as 127.0.0.1 or localhost, as the dev stack uses)',
      env: { defaultText: '`http://127.0.0.1:<INGEST_PORT>`' },
    }),
});
export type Variable = keyof typeof EnvSchema.shape;

/** A variable's description and reference notes, as its schema carries them. */
export function variableMeta(name: Variable): { description: string; env: EnvVariableMeta } {
  const meta = EnvSchema.shape[name].meta();
  return { description: meta?.description ?? '', env: meta?.env ?? {} };
}

/** Every renamed variable, from the oldName its schema records. */
export const RENAMES: readonly Rename[] = (Object.keys(EnvSchema.shape) as Variable[]).flatMap((name) => {
  const { oldName } = variableMeta(name).env;
  return oldName === undefined ? [] : [{ name, oldName }];
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
