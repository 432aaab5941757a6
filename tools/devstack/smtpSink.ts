import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedEmail {
  envelopeFrom: string;
  envelopeTo: string[];
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId?: string;
  /** The X-Journey-Idempotency-Key header our sends carry, for de-duplication checks. */
  idempotencyKey?: string;
  /** The raw List-Unsubscribe and List-Unsubscribe-Post values, as a mailbox provider reads them. */
  listUnsubscribe?: string;
  listUnsubscribePost?: string;
  /** The raw List-Id (RFC 2919). */
  listId?: string;
  receivedAt: Date;
}

/** A message the sink refused (a reply fault), kept so a fault test can tell a bounce from a loss. */
export interface RefusedEmail {
  idempotencyKey?: string;
  to: string[];
  code: number;
  refusedAt: Date;
}

/**
 * Runs after a message is stored and before the sender gets its answer: a fault test can act
 * inside the window where the provider has the message and the sender does not know it yet.
 */
export type SmtpAcceptHook = (mail: CapturedEmail) => Promise<void> | void;

/** One forced outcome for the next message, for fault tests. */
export type SmtpFault =
  /** Refuse the message with this reply code after reading it (4xx transient, 5xx permanent). */
  | { kind: 'reply'; code: number; message?: string }
  /** Keep the message, then drop the connection without answering: the sender cannot know. */
  | { kind: 'accept-then-drop' }
  /** Keep the message and answer only after `ms` (a stalled relay). */
  | { kind: 'accept-then-hang'; ms: number };

interface SmtpConnectionLike {
  session: unknown;
  _socket?: { destroy(): void };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((entry) => entry.value.flatMap((a) => (a.address ? [a.address] : [])));
}

/** A header's value as sent, unfolded; mailparser's parsed form of List-* headers drops the brackets. */
function rawHeader(lines: readonly { key: string; line: string }[], name: string): string | undefined {
  const line = lines.find((l) => l.key === name)?.line;
  if (line === undefined) return undefined;
  const unfolded = line.replace(/\r?\n[ \t]+/g, ' ');
  return unfolded.slice(unfolded.indexOf(':') + 1).trim();
}

/**
 * A real SMTP server on loopback that accepts every message, parses it, keeps it in memory and
 * writes it as an .eml file when given a directory, so tests and the demo read what was delivered.
 */
export class SmtpSink {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    /** Every accepted message, in arrival order. */
    readonly messages: readonly CapturedEmail[],
    private readonly faults: SmtpFault[],
    private readonly hangs: Set<NodeJS.Timeout>,
    /** Every message refused by a reply fault, in order. */
    readonly refusals: readonly RefusedEmail[],
    private readonly hook: { onAccepted?: SmtpAcceptHook },
  ) {}

  /** Sets (or with undefined, clears) the hook run between storing a message and answering. */
  onAccepted(hook: SmtpAcceptHook | undefined): void {
    if (hook === undefined) delete this.hook.onAccepted;
    else this.hook.onAccepted = hook;
  }

  /** Queues outcomes for the next messages, one each, in order; then messages are accepted again. */
  injectFaults(...faults: SmtpFault[]): void {
    this.faults.push(...faults);
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(options: { port?: number; dir?: string } = {}): Promise<SmtpSink> {
    if (options.dir) mkdirSync(options.dir, { recursive: true });
    const messages: CapturedEmail[] = [];
    const faults: SmtpFault[] = [];
    const hangs = new Set<NodeJS.Timeout>();
    const refusals: RefusedEmail[] = [];
    const hook: { onAccepted?: SmtpAcceptHook } = {};
    // smtp-server keeps its live connections in `connections`; its typings do not say so.
    const dropConnectionOf = (session: unknown): void => {
      const live = (server as unknown as { connections: Set<SmtpConnectionLike> }).connections;
      for (const connection of live) if (connection.session === session) connection._socket?.destroy();
    };
    const server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const fault = faults.shift();
          const answer = (error?: Error): void => {
            if (fault?.kind === 'accept-then-drop') return dropConnectionOf(session);
            if (fault?.kind !== 'accept-then-hang') return error ? callback(error) : callback();
            const hang = setTimeout(() => {
              hangs.delete(hang);
              if (error) callback(error);
              else callback();
            }, fault.ms);
            hangs.add(hang);
          };
          simpleParser(raw).then(
            async (mail) => {
              const key = mail.headers.get('x-journey-idempotency-key');
              if (fault?.kind === 'reply') {
                refusals.push({
                  to: addresses(mail.to),
                  code: fault.code,
                  refusedAt: new Date(),
                  ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
                });
                const refusal = Object.assign(new Error(fault.message ?? 'refused by fault injection'), {
                  responseCode: fault.code,
                });
                callback(refusal);
                return;
              }
              const listUnsubscribe = rawHeader(mail.headerLines, 'list-unsubscribe');
              const listUnsubscribePost = rawHeader(mail.headerLines, 'list-unsubscribe-post');
              const listId = rawHeader(mail.headerLines, 'list-id');
              const captured: CapturedEmail = {
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                envelopeTo: session.envelope.rcptTo.map((r) => r.address),
                to: addresses(mail.to),
                subject: mail.subject ?? '',
                text: mail.text ?? '',
                html: typeof mail.html === 'string' ? mail.html : '',
                receivedAt: new Date(),
                ...(mail.messageId ? { messageId: mail.messageId } : {}),
                ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
                ...(listUnsubscribe === undefined ? {} : { listUnsubscribe }),
                ...(listUnsubscribePost === undefined ? {} : { listUnsubscribePost }),
                ...(listId === undefined ? {} : { listId }),
              };
              messages.push(captured);
              if (options.dir) writeFileSync(join(options.dir, `${Date.now()}-${messages.length}.eml`), raw);
              // A failing hook is the test's problem, not the sender's: the message is stored either way.
              await Promise.resolve(hook.onAccepted?.(captured)).catch(() => undefined);
              answer();
            },
            (error: Error) => {
              if (fault?.kind === 'reply') {
                refusals.push({ to: [], code: fault.code, refusedAt: new Date() });
                callback(Object.assign(new Error(fault.message ?? 'refused'), { responseCode: fault.code }));
                return;
              }
              answer(error);
            },
          );
        });
      },
    });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolveListen();
      });
    });
    // smtp-server re-emits a client's socket errors on the server: a sender killed mid-session (a
    // worker SIGKILLed by the fault tests) resets its connection. That is the sender's loss, as a
    // real relay sees it, not the sink's: without a listener the error would end this process.
    server.on('error', () => undefined);
    // smtp-server exposes its net.Server as `server`; its typings do not.
    const port = (server as unknown as { server: { address(): AddressInfo } }).server.address().port;
    return new SmtpSink(server, port, messages, faults, hangs, refusals, hook);
  }

  /** Resolves with the first captured message that matches, polling until the timeout. */
  async waitFor(match: (mail: CapturedEmail) => boolean, timeoutMs = 10_000): Promise<CapturedEmail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching email arrived within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  stop(): Promise<void> {
    for (const hang of this.hangs) clearTimeout(hang);
    this.hangs.clear();
    return new Promise((resolveClose) => this.server.close(() => resolveClose()));
  }
}
