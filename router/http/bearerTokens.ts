import { createHash, timingSafeEqual } from 'node:crypto';

export type TokenCheck = 'ok' | 'missing' | 'malformed' | 'invalid';

/** What a 401 says for each failure, and its RFC 6750 challenge. */
export const AUTH_FAILURES: Record<Exclude<TokenCheck, 'ok'>, { message: string; challenge: string }> = {
  missing: {
    message: 'missing Authorization header; send "Authorization: Bearer <token>"',
    challenge: 'Bearer realm="journeys"',
  },
  malformed: {
    message: 'the Authorization header is not of the form "Bearer <token>"',
    challenge: 'Bearer realm="journeys", error="invalid_request"',
  },
  invalid: {
    message: 'the bearer token is not accepted',
    challenge: 'Bearer realm="journeys", error="invalid_token"',
  },
};

/**
 * The bearer tokens a server accepts. Tokens are compared as SHA-256 digests: timingSafeEqual needs
 * equal-length buffers, and comparing digests keeps a token's length from leaking through timing.
 */
export class BearerTokens {
  private readonly digests: Buffer[];

  constructor(tokens: readonly string[]) {
    if (tokens.length === 0) {
      throw new Error('IngestServer: no bearer tokens given (INGEST_TOKENS): every request would be refused');
    }
    tokens.forEach((token, i) => {
      if (!/^\S+$/.test(token))
        throw new Error(`IngestServer: bearer token #${i + 1} is empty or has whitespace`);
    });
    this.digests = tokens.map(digest);
  }

  /** Checks an Authorization header value. Never puts the token in a message or a log. */
  check(header: string | undefined): TokenCheck {
    if (header === undefined || header.trim() === '') return 'missing';
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (match?.[1] === undefined) return 'malformed';
    const candidate = digest(match[1]);
    // Every token is compared, without stopping at a match, so timing does not tell which one matched.
    let accepted = false;
    for (const known of this.digests) accepted = timingSafeEqual(candidate, known) || accepted;
    return accepted ? 'ok' : 'invalid';
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
