import { createHash } from 'node:crypto';
import type { UnsubscribeClaims, UnsubscribeVerifier } from '../../activities/unsubscribe/unsubscribeToken';
import type { JourneyEvent } from '../../schemas/events/schema';
import type { ConsentState } from '../../store/profiles';
import type { EventPublisher, PublishOutcome } from '../../schemas/events/publisher';
import { unsubscribeReply, type PageReply, type UnsubscribeOutcome } from './unsubscribePage';

/** Reads a customer's consent as the profile holds it now (JourneyClient implements it). */
export interface ConsentReader {
  consentOf(customerId: string, channel: string, purpose: string): Promise<ConsentState>;
}

export interface UnsubscribeDeps {
  verifier: UnsubscribeVerifier;
  /** The opt-out enters as a `consent.updated` event, the way every profile change does. */
  publisher: EventPublisher;
  /** What the click acts on, and how the page learns what it achieved. */
  consents: ConsentReader;
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

  /**
   * Leaves the customer opted out, or says truthfully that they are not. A link stays valid after
   * the customer opts in again, so one token can act more than once: the event's ID is the token
   * plus the consent state the click acts on. A double POST (a mail scanner, a provider's retry)
   * finds the customer already opted out and adds nothing; a click after a new opt-in acts on
   * that opt-in, under a new ID, instead of being dropped as the first click's duplicate. The
   * answer comes from the profile read back after publishing, not from the publish outcome.
   */
  private async optOut(token: string, claims: UnsubscribeClaims): Promise<UnsubscribeOutcome> {
    const { customerId, channel, purpose } = claims;
    // Each round acts on the state it read. A second round is needed only when another change
    // landed in between (an opt-in at the same moment); past a few, the page says so.
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let state: ConsentState;
      try {
        state = await this.deps.consents.consentOf(customerId, channel, purpose);
      } catch (error) {
        this.deps.log(`unsubscribe: reading the consent of ${customerId} failed: ${describe(error)}`);
        return { kind: 'unavailable' };
      }
      if (state.granted === false) return { kind: 'unsubscribed' };
      const event = {
        eventId: optOutEventId(token, state.changedAt),
        type: 'consent.updated',
        customerId,
        occurredAt: this.clickTime(state.changedAt).toISOString(),
        data: { channel, purpose, granted: false },
      } satisfies Extract<JourneyEvent, { type: 'consent.updated' }>;
      let outcome: PublishOutcome | undefined;
      try {
        [outcome] = await this.deps.publisher.publishEvents([event]);
      } catch (error) {
        this.deps.log(`unsubscribe: recording the opt-out of ${customerId} failed: ${describe(error)}`);
        return { kind: 'unavailable' };
      }
      if (outcome?.status !== 'accepted' && outcome?.status !== 'duplicate') {
        const issues = outcome?.status === 'rejected' ? outcome.issues : [];
        this.deps.log(
          `unsubscribe: the opt-out of ${customerId} was rejected: ` +
            (issues.map((i) => `${i.path}: ${i.message}`).join('; ') || 'no outcome'),
        );
        return { kind: 'failed' };
      }
    }
    this.deps.log(
      `unsubscribe: ${customerId} is still opted in after ${MAX_ROUNDS} opt-outs; asked to retry`,
    );
    return { kind: 'stillSubscribed' };
  }

  /**
   * The click's time, not the mail's: the profile keeps the newest change, and this is it. The
   * click acts on the change it read, so it is dated after it even when that change carries a
   * time ahead of this server's clock; otherwise the profile would keep the opt-in.
   */
  private clickTime(changedAt: Date | undefined): Date {
    const now = this.now();
    return changedAt !== undefined && changedAt.getTime() >= now.getTime()
      ? new Date(changedAt.getTime() + 1)
      : now;
  }
}

const MAX_ROUNDS = 3;

/** One token acting on one consent state: the same click repeated is one event, a later one another. */
function optOutEventId(token: string, changedAt: Date | undefined): string {
  const state = changedAt === undefined ? 'never-changed' : changedAt.toISOString();
  return `unsubscribe-${createHash('sha256').update(`${token}\n${state}`).digest('hex').slice(0, 40)}`;
}

/** The first `token` query parameter; parsed by hand so that no request URL can make it throw. */
function tokenOf(url: string): string | null {
  const query = url.indexOf('?');
  return query < 0 ? null : new URLSearchParams(url.slice(query + 1)).get('token');
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
