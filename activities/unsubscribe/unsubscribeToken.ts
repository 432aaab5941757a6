import { createHmac, timingSafeEqual } from 'node:crypto';
import { MIN_SECRET_LENGTH } from '../../schemas/limits';

/*
 * Unsubscribe tokens: `<payload>.<signature>`, both base64url. The payload is the JSON array
 * [version, customerId, channel, purpose, issued-at in epoch seconds]; the signature is
 * HMAC-SHA256 over a context label and the payload exactly as encoded. Because the signature
 * covers the customer ID, a token cannot be edited to opt out someone else.
 *
 * Tokens do not expire: an unsubscribe link must keep working long after its mail was sent (the
 * US CAN-SPAM Act asks for at least 30 days), and honouring an old one only ever sends less. The
 * signed issued-at leaves room for a cut-off later.
 */

const VERSION = 1;
/** Domain separation: a secret also used for some other HMAC cannot mint tokens here, nor the reverse. */
const CONTEXT = 'journeys/unsubscribe/v1.';
const SIGNATURE_BYTES = 32;
/** Far above a real token (~150 characters); bounds the work done on hostile input. */
const MAX_TOKEN_LENGTH = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface UnsubscribeClaims {
  customerId: string;
  channel: 'email';
  purpose: 'marketing';
  issuedAt: Date;
}

export type TokenRefusal =
  /** Not the shape of a token: empty, truncated, wrong characters, too long. */
  | 'malformed'
  /** Well formed, but no configured secret signed it: forged, altered, or signed with a removed secret. */
  | 'bad-signature'
  /** Signed by us, but a payload this version cannot read (a newer format). */
  | 'unsupported';

export type TokenVerification =
  { kind: 'valid'; claims: UnsubscribeClaims } | { kind: 'invalid'; reason: TokenRefusal };

export interface UnsubscribeSigner {
  sign(customerId: string, issuedAt: Date): string;
}

export interface UnsubscribeVerifier {
  /** Never throws: any input gets a verdict. */
  verify(token: unknown): TokenVerification;
}

/**
 * Signs with the first secret and accepts any of them, so a secret can be rotated without breaking
 * the links already in inboxes: put the new one first, and drop the old one only once its mail no
 * longer needs to be honoured.
 */
export class UnsubscribeTokens implements UnsubscribeSigner, UnsubscribeVerifier {
  private readonly keys: readonly Buffer[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('UnsubscribeTokens: at least one secret is required');
    secrets.forEach((secret, i) => {
      if (secret.length < MIN_SECRET_LENGTH) {
        throw new Error(
          `UnsubscribeTokens: secret #${i + 1} is shorter than ${MIN_SECRET_LENGTH} characters`,
        );
      }
    });
    this.keys = secrets.map((secret) => Buffer.from(secret, 'utf8'));
  }

  sign(customerId: string, issuedAt: Date): string {
    if (customerId === '') throw new Error('UnsubscribeTokens: an empty customer ID cannot be signed');
    const seconds = Math.floor(issuedAt.getTime() / 1000);
    const claims = [VERSION, customerId, 'email', 'marketing', seconds];
    const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    return `${payload}.${mac(this.keys[0]!, payload).toString('base64url')}`;
  }

  verify(token: unknown): TokenVerification {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return refused('malformed');
    const parts = token.split('.');
    const [payload, signature] = parts;
    if (parts.length !== 2 || payload === undefined || signature === undefined) return refused('malformed');
    if (!BASE64URL.test(payload) || !isCanonical(signature, SIGNATURE_BYTES)) return refused('malformed');

    // The signature is checked before the payload is even decoded: unsigned input is never parsed.
    // Every key is tried, without stopping at a match, so timing does not tell which one signed.
    const given = Buffer.from(signature, 'base64url');
    let signed = false;
    for (const key of this.keys) signed = timingSafeEqual(mac(key, payload), given) || signed;
    if (!signed) return refused('bad-signature');

    const claims = readClaims(payload);
    return claims === undefined ? refused('unsupported') : { kind: 'valid', claims };
  }
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(CONTEXT).update(payload, 'utf8').digest();
}

/**
 * Node's base64url decoder skips characters it does not know and ignores unused trailing bits, so
 * several strings decode to the same signature. Only the one encoding we produce is accepted: a
 * token has exactly one spelling, which the endpoint relies on to deduplicate clicks.
 */
function isCanonical(text: string, bytes: number): boolean {
  if (!BASE64URL.test(text)) return false;
  const decoded = Buffer.from(text, 'base64url');
  return decoded.length === bytes && decoded.toString('base64url') === text;
}

function readClaims(payload: string): UnsubscribeClaims | undefined {
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(claims) || claims.length !== 5) return undefined;
  const [version, customerId, channel, purpose, seconds] = claims as unknown[];
  if (version !== VERSION || channel !== 'email' || purpose !== 'marketing') return undefined;
  if (typeof customerId !== 'string' || customerId === '') return undefined;
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0) return undefined;
  return { customerId, channel, purpose, issuedAt: new Date(seconds * 1000) };
}

function refused(reason: TokenRefusal): TokenVerification {
  return { kind: 'invalid', reason };
}
