import { createHash } from 'node:crypto';
import type { UnsubscribeClaims, UnsubscribeVerifier } from '../consent/unsubscribeToken';
import type { JourneyEvent } from '../events/schema';
import type { EventPublisher, PublishOutcome } from './publisher';
import { unsubscribeReply, type PageReply, type UnsubscribeOutcome } from './unsubscribePage';

export interface UnsubscribeDeps {
  verifier: UnsubscribeVerifier;
  /** The opt-out enters as a `consent.updated` event, the way every profile change does. */
  publisher: EventPublisher;
  log: (line: string) => void;
  now?: () => Date;
}

/** The parts of a request the endpoint looks at. */
export interface UnsubscribeRequest {
  method: string | undefined;
  url: string | undefined;
  accept: string | undefined;
}

/**
 * `/unsubscribe?token=…`, the URL of a marketing email's List-Unsubscribe header. No bearer token:
 * the signed token is the authorisation, and it only ever opts its own customer out.
 *
 * - POST unsubscribes: RFC 8058's one-click, sent by mailbox providers, and the confirm form.
 * - GET and HEAD change nothing and show a page whose button POSTs: mail scanners and link
 *   previews fetch URLs from messages, and must not unsubscribe anyone by doing so.
 * - A token that does not verify gets 403 before anything is read or written.
 *
 * The POST body is not required to be `List-Unsubscribe=One-Click`: RFC 8058 lets providers send
 * it as multipart/form-data or as a URL-encoded form, and refusing an unexpected encoding would
 * leave a customer subscribed. POST itself is what tells a person's click from a prefetch.
 */
export class UnsubscribeHandler {
  private readonly now: () => Date;

  constructor(private readonly deps: UnsubscribeDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async handle(request: UnsubscribeRequest): Promise<PageReply> {
    const html = request.accept !== undefined && /\btext\/html\b/i.test(request.accept);
    const reply = (outcome: UnsubscribeOutcome): PageReply => unsubscribeReply(outcome, html);
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      return reply({ kind: 'methodNotAllowed', method });
    }
    const token = tokenOf(request.url ?? '');
    if (token === null) return reply({ kind: 'refused', reason: 'malformed' });
    const verdict = this.deps.verifier.verify(token);
    if (verdict.kind === 'invalid') return reply({ kind: 'refused', reason: verdict.reason });
    if (method !== 'POST') return reply({ kind: 'confirm', token });
    return reply(await this.optOut(token, verdict.claims));
  }

  private async optOut(token: string, claims: UnsubscribeClaims): Promise<UnsubscribeOutcome> {
    const event = {
      // One token, one event: a second click, or a provider retrying its POST, is a duplicate.
      eventId: `unsubscribe-${createHash('sha256').update(token).digest('hex').slice(0, 40)}`,
      type: 'consent.updated',
      customerId: claims.customerId,
      // The click's time, not the mail's: the profile keeps the newest change, and this is it.
      occurredAt: this.now().toISOString(),
      data: { channel: claims.channel, purpose: claims.purpose, granted: false },
    } satisfies Extract<JourneyEvent, { type: 'consent.updated' }>;
    let outcome: PublishOutcome | undefined;
    try {
      [outcome] = await this.deps.publisher.publishEvents([event]);
    } catch (error) {
      this.deps.log(`unsubscribe: recording the opt-out of ${claims.customerId} failed: ${describe(error)}`);
      return { kind: 'unavailable' };
    }
    if (outcome?.status === 'accepted' || outcome?.status === 'duplicate') return { kind: 'unsubscribed' };
    const issues = outcome?.status === 'rejected' ? outcome.issues : [];
    this.deps.log(
      `unsubscribe: the opt-out of ${claims.customerId} was rejected: ` +
        (issues.map((i) => `${i.path}: ${i.message}`).join('; ') || 'no outcome'),
    );
    return { kind: 'failed' };
  }
}

/** The first `token` query parameter; parsed by hand so that no request URL can make it throw. */
function tokenOf(url: string): string | null {
  const query = url.indexOf('?');
  return query < 0 ? null : new URLSearchParams(url.slice(query + 1)).get('token');
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
