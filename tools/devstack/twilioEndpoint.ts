import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiVersion, errorBody, messageResource, newMessage, validateCreate } from './twilioApi/messages';
import type { StoredSms, TwilioError } from './twilioApi/messages';

export type { StoredSms } from './twilioApi/messages';

export interface TwilioAccount {
  accountSid: string;
  authToken: string;
}

/** One forced response for the next Messages create call, for fault tests. */
export type TwilioFault =
  /** Reply with that status and Twilio's error body; nothing is stored. */
  | { kind: 'status'; status: 429 | 500 | 503 }
  /** Store the message, then wait ms before answering: the client times out after the provider accepted. */
  | { kind: 'accept-then-hang'; ms: number };

/** A create call the endpoint refused with a status fault; nothing was stored. */
export interface RefusedSms {
  to: string;
  status: number;
  statusCallback?: string;
  refusedAt: Date;
}

/**
 * Runs after a message is stored and before the caller gets its answer: a fault test can act
 * inside the window where Twilio has the message and the sender does not know it yet.
 */
export type TwilioAcceptHook = (sms: StoredSms) => Promise<void> | void;

const faultErrors: Record<429 | 500 | 503, TwilioError> = {
  429: { status: 429, code: 20429, message: 'Too Many Requests' },
  500: { status: 500, code: 20500, message: 'Internal Server Error' },
  503: { status: 503, code: 20503, message: 'Service Unavailable' },
};

const authenticateError: TwilioError = { status: 401, code: 20003, message: 'Authenticate' };
const createRoute = new RegExp(`^/${apiVersion}/Accounts/([^/]+)/Messages\\.json$`);
const fetchRoute = new RegExp(`^/${apiVersion}/Accounts/([^/]+)/Messages/([^/]+)\\.json$`);

function notFound(path: string): TwilioError {
  return { status: 404, code: 20404, message: `The requested resource ${path} was not found` };
}

function sendJson(res: ServerResponse, status: number, body: string): void {
  // The client may have timed out and gone away while a hung reply was pending.
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(body);
}

function sendError(res: ServerResponse, error: TwilioError): void {
  if (error.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="Twilio API"');
  sendJson(res, error.status, errorBody(error));
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A loopback stand-in for the parts of Twilio's Messages API we call, so the real `twilio` SDK
 * (pointed here by createTwilioClient's apiBaseUrl) runs its own request building, auth and error
 * parsing against Twilio's status codes and error bodies.
 */
export class TwilioEndpoint {
  private readonly stored: StoredSms[] = [];
  private readonly faults: TwilioFault[] = [];
  private readonly hangs = new Set<NodeJS.Timeout>();
  private readonly refusedCreates: RefusedSms[] = [];
  private acceptHook: TwilioAcceptHook | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly accounts: readonly TwilioAccount[],
    private readonly server: Server,
    /** For example 'http://127.0.0.1:41234'. */
    readonly baseUrl: string,
  ) {}

  /** Every accepted message, in order. */
  get messages(): readonly StoredSms[] {
    return this.stored;
  }

  /** Every create call refused by a status fault, in order. */
  get refusals(): readonly RefusedSms[] {
    return this.refusedCreates;
  }

  /** Sets (or with undefined, clears) the hook run between storing a message and answering. */
  onAccepted(hook: TwilioAcceptHook | undefined): void {
    this.acceptHook = hook;
  }

  static async start(options: {
    accounts: TwilioAccount[];
    host?: string;
    port?: number;
  }): Promise<TwilioEndpoint> {
    const server = createServer();
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolveListen());
    });
    const { port } = server.address() as AddressInfo;
    const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const endpoint = new TwilioEndpoint(options.accounts, server, baseUrl);
    // Attached before control returns to the event loop, so no request can arrive unhandled.
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      endpoint.handle(req, res).catch((error: unknown) => {
        sendError(res, { status: 500, code: 20500, message: `Internal Server Error: ${String(error)}` });
      });
    });
    return endpoint;
  }

  /**
   * Consumed one per Messages create call, in order. Only calls that pass auth and routing consume
   * one, as Twilio rejects those earlier. A status fault wins over validation, like a throttle at
   * the edge; accept-then-hang only hangs a message that validates, since only those get stored.
   */
  injectFaults(...faults: TwilioFault[]): void {
    this.faults.push(...faults);
  }

  /** Closes the server and every open socket, including requests that are deliberately hanging. */
  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolveClose, reject) => {
      for (const hang of this.hangs) clearTimeout(hang);
      this.hangs.clear();
      this.server.close((error) => (error ? reject(error) : resolveClose()));
      this.server.closeAllConnections();
    });
    return this.stopping;
  }

  /** One page of Twilio's message list: the filters Twilio documents for To and From, newest first. */
  private listPage(accountSid: string, path: string, query: URLSearchParams): Record<string, unknown> {
    const to = query.get('To');
    const from = query.get('From');
    const pageSize = Math.min(Math.max(Number(query.get('PageSize') ?? 50) || 50, 1), 1000);
    const matching = this.stored
      .filter(
        (m) =>
          m.accountSid === accountSid && (to === null || m.to === to) && (from === null || m.from === from),
      )
      .reverse()
      .slice(0, pageSize);
    return {
      messages: matching.map(messageResource),
      page: 0,
      page_size: pageSize,
      start: 0,
      end: Math.max(matching.length - 1, 0),
      uri: `${path}?PageSize=${pageSize}&Page=0`,
      first_page_uri: `${path}?PageSize=${pageSize}&Page=0`,
      next_page_uri: null,
      previous_page_uri: null,
    };
  }

  private authenticate(req: IncomingMessage): TwilioAccount | undefined {
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'basic' || !encoded) return undefined;
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [sid, token] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    return this.accounts.find((a) => colon > 0 && a.accountSid === sid && a.authToken === token);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const account = this.authenticate(req);
    if (!account) return sendError(res, authenticateError);

    const create = req.method === 'POST' ? createRoute.exec(path) : null;
    const fetchMatch = req.method === 'GET' ? fetchRoute.exec(path) : null;
    // The list shares the create URL: GET Messages.json, filtered by To and From, newest first.
    const list = req.method === 'GET' ? createRoute.exec(path) : null;
    const pathAccount = create?.[1] ?? fetchMatch?.[1] ?? list?.[1];
    if (pathAccount === undefined) return sendError(res, notFound(path));
    if (pathAccount !== account.accountSid) return sendError(res, authenticateError);

    if (list) {
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      return sendJson(res, 200, JSON.stringify(this.listPage(account.accountSid, path, query)));
    }
    if (fetchMatch) {
      const sms = this.stored.find((m) => m.sid === fetchMatch[2] && m.accountSid === account.accountSid);
      return sms ? sendJson(res, 200, JSON.stringify(messageResource(sms))) : sendError(res, notFound(path));
    }

    const form = await readForm(req);
    const fault = this.faults.shift();
    if (fault?.kind === 'status') {
      const statusCallback = form.get('StatusCallback');
      this.refusedCreates.push({
        to: form.get('To') ?? '',
        status: fault.status,
        refusedAt: new Date(),
        ...(statusCallback ? { statusCallback } : {}),
      });
      return sendError(res, faultErrors[fault.status]);
    }
    const invalid = validateCreate(form);
    if (invalid) return sendError(res, invalid);

    const sms = newMessage(account.accountSid, form);
    this.stored.push(sms);
    // A failing hook is the test's problem, not the caller's: the message is stored either way.
    await Promise.resolve(this.acceptHook?.(sms)).catch(() => undefined);
    const reply = (): void => sendJson(res, 201, JSON.stringify(messageResource(sms)));
    if (fault?.kind !== 'accept-then-hang') return reply();
    const hang = setTimeout(() => {
      this.hangs.delete(hang);
      reply();
    }, fault.ms);
    this.hangs.add(hang);
  }
}
