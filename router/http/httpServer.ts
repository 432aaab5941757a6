import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UNSUBSCRIBE_PATH } from '../../activities/unsubscribe/unsubscribeHeaders';
import type { UnsubscribeVerifier } from '../../activities/unsubscribe/unsubscribeToken';
import { AUTH_FAILURES, BearerTokens } from './bearerTokens';
import { parseEventsBody } from './eventsBody';
import { DEFAULT_MAX_EVENTS_PER_REQUEST, MAX_EVENTS_PER_REQUEST_VARIABLE } from '../../schemas/limits';
import { mergeResults, publishableValues, rejectionMessage } from './ingestResults';
import type { EventPublisher, PublishOutcome } from '../../schemas/events/publisher';
import { ConnectionCloser, sendJson, sendText } from './jsonResponse';
import { bodyFormat, declaresLargeBody, readBody } from './requestBody';
import { UnsubscribeHandler, type ConsentReader } from './unsubscribe';
import type { PageReply } from './unsubscribePage';

export interface IngestServerOptions {
  publisher: EventPublisher;
  /** Accepted bearer tokens; compared in constant time. At least one is required. */
  tokens: readonly string[];
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = any free port. Default 0. */
  port?: number;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** Default DEFAULT_MAX_EVENTS_PER_REQUEST (schemas/limits.ts). */
  maxEventsPerRequest?: number;
  /** Where failures are logged (never with a token). Default console.error. */
  log?: (line: string) => void;
  /**
   * Verifies unsubscribe tokens (UNSUBSCRIBE_SECRETS) and reads the consent a click acts on (the
   * JourneyClient). Given, the server also answers the one-click unsubscribe links of marketing
   * email at `/unsubscribe`; absent, that path is a 404.
   */
  unsubscribe?: { verifier: UnsubscribeVerifier; consents: ConsentReader };
}

const EVENTS_PATH = '/v1/events';

/** The port asked for is taken: says which, and what to do, instead of a raw EADDRINUSE. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(
      `${host}:${port} is already in use (another \`journeys ingest serve\`, or another program): ` +
        'stop it, or set INGEST_PORT to a free port',
    );
  }
}

type Headers = Record<string, string>;

/**
 * HTTP ingestion for services that don't use the Temporal SDK: `POST /v1/events` hands every event of
 * a request to the EventPublisher in one call and reports each event's outcome. `GET /healthz` is open,
 * and so is `/unsubscribe` when enabled: its signed token is its authorisation (router/http/unsubscribe.ts).
 */
export class IngestServer {
  private constructor(
    private readonly server: Server,
    private readonly handler: IngestHandler,
    readonly url: string,
  ) {}

  static async start(options: IngestServerOptions): Promise<IngestServer> {
    const handler = new IngestHandler(options);
    const server = createServer((req, res) => handler.handle(req, res));
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? 0;
    await new Promise<void>((resolve, reject) => {
      const refuse = (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error);
      server.once('error', refuse);
      server.listen(port, host, () => {
        server.off('error', refuse);
        resolve();
      });
    });
    const bound = (server.address() as AddressInfo).port;
    return new IngestServer(server, handler, `http://${host.includes(':') ? `[${host}]` : host}:${bound}`);
  }

  /** Stops accepting connections and resolves once the requests in flight have been answered. */
  stop(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error === undefined ? resolve() : reject(error)));
      this.server.closeIdleConnections();
      this.handler.closer.closeAll();
    });
  }
}

class IngestHandler {
  readonly closer = new ConnectionCloser();
  private readonly tokens: BearerTokens;
  private readonly maxBodyBytes: number;
  private readonly maxEvents: number;
  private readonly log: (line: string) => void;
  private readonly unsubscribe: UnsubscribeHandler | undefined;

  constructor(private readonly options: IngestServerOptions) {
    this.tokens = new BearerTokens(options.tokens);
    this.maxBodyBytes = positiveInteger('maxBodyBytes', options.maxBodyBytes ?? 1024 * 1024);
    this.maxEvents = positiveInteger(
      'maxEventsPerRequest',
      options.maxEventsPerRequest ?? DEFAULT_MAX_EVENTS_PER_REQUEST,
    );
    this.log = options.log ?? ((line) => console.error(line));
    this.unsubscribe =
      options.unsubscribe === undefined
        ? undefined
        : new UnsubscribeHandler({
            ...options.unsubscribe,
            publisher: options.publisher,
            log: this.log,
          });
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((error: unknown) => {
      this.log(`ingest: ${req.method} ${req.url}: internal error: ${describe(error)}`);
      if (!res.headersSent) {
        const body = { error: 'internal', message: 'internal error; the server logged it' };
        this.reply(req, res, 500, body, {}, true);
      } else {
        res.destroy();
      }
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // A body we decide not to read is drained by Node when small, or cut off with the connection.
    const unreadBody = declaresLargeBody(req, this.maxBodyBytes);
    const refuse = (status: number, error: string, message: string, headers: Headers = {}): void =>
      this.reply(req, res, status, { error, message }, headers, unreadBody);

    if (path === '/healthz') {
      if (req.method === 'GET' || req.method === 'HEAD') return this.reply(req, res, 200, { ok: true });
      return refuse(405, 'method_not_allowed', `${req.method} is not allowed on /healthz; use GET`, {
        Allow: 'GET, HEAD',
      });
    }
    if (path === UNSUBSCRIBE_PATH && this.unsubscribe !== undefined) {
      // The body is never read: a one-click POST says all it needs in its URL (see UnsubscribeHandler).
      const page = await this.unsubscribe.handle({
        method: req.method,
        url: req.url,
        accept: req.headers.accept,
      });
      return this.replyWith(req, res, page, unreadBody);
    }
    if (path !== EVENTS_PATH) {
      return refuse(
        404,
        'not_found',
        `no endpoint at ${path.slice(0, 200)}; events go to POST ${EVENTS_PATH}`,
      );
    }
    if (req.method !== 'POST') {
      return refuse(405, 'method_not_allowed', `${req.method} is not allowed on ${EVENTS_PATH}; use POST`, {
        Allow: 'POST',
      });
    }

    // Before the body is read, so an unauthenticated client cannot make the server read anything.
    const auth = this.tokens.check(req.headers.authorization);
    if (auth !== 'ok') {
      const { message, challenge } = AUTH_FAILURES[auth];
      return refuse(401, 'unauthorized', message, { 'WWW-Authenticate': challenge });
    }

    const format = bodyFormat(req.headers['content-type']);
    if (typeof format !== 'string') return refuse(415, 'unsupported_media_type', format.refused);
    const tooLarge = `the request body is larger than ${this.maxBodyBytes} bytes; split the events over several requests`;
    if (unreadBody && req.headers['content-length'] !== undefined) {
      return refuse(413, 'payload_too_large', tooLarge);
    }
    const read = await readBody(req, this.maxBodyBytes);
    if (read.kind === 'aborted') return; // the client went away; nobody to answer
    if (read.kind === 'tooLarge') {
      return this.reply(req, res, 413, { error: 'payload_too_large', message: tooLarge }, {}, true);
    }

    const body = parseEventsBody(read.body, format);
    if (body.kind === 'invalid') {
      return this.reply(req, res, 400, { error: 'invalid_json', message: body.message });
    }
    if (body.entries.length > this.maxEvents) {
      return this.reply(req, res, 413, {
        error: 'too_many_events',
        message:
          `the request holds ${body.entries.length} events; at most ${this.maxEvents} are accepted per ` +
          `request (${MAX_EVENTS_PER_REQUEST_VARIABLE}); split the events over several requests`,
        maxEventsPerRequest: this.maxEvents,
        count: body.entries.length,
      });
    }

    let outcomes: PublishOutcome[];
    try {
      const values = publishableValues(body.entries);
      outcomes = values.length === 0 ? [] : await this.options.publisher.publishEvents(values);
    } catch (error) {
      // Some events may have been recorded before the failure, but none is lost or doubled: the caller
      // retries the same request, and the inbox's unique eventId turns what got through into
      // `duplicate` outcomes. So from the caller's view nothing is half-done.
      this.log(`ingest: publishing ${body.entries.length} events failed: ${describe(error)}`);
      return this.reply(
        req,
        res,
        503,
        {
          error: 'unavailable',
          message:
            'the events could not be published (storage or workflow service unavailable); ' +
            'retry the same request: events are deduplicated by eventId, so a retry is safe',
        },
        { 'Retry-After': '5' },
      );
    }

    const results = mergeResults(body.entries, outcomes);
    if (results.every((r) => r.status !== 'rejected')) return this.reply(req, res, 202, { results });
    this.reply(req, res, 400, {
      error: 'rejected',
      message: rejectionMessage(results, body.single),
      results,
    });
  }

  private reply(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Headers = {},
    closeConnection = false,
  ): void {
    sendJson(res, status, body, headers, closeConnection);
    if (closeConnection) this.closer.closeAfterResponse(req, res);
  }

  private replyWith(
    req: IncomingMessage,
    res: ServerResponse,
    page: PageReply,
    closeConnection: boolean,
  ): void {
    sendText(res, page.status, page.body, page.headers, closeConnection);
    if (closeConnection) this.closer.closeAfterResponse(req, res);
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`IngestServer: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
