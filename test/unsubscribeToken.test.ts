import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../schemas/env';
import { ONE_CLICK, unsubscribeLink, unsubscribeUrl } from '../activities/unsubscribe/unsubscribeHeaders';
import { UnsubscribeTokens } from '../activities/unsubscribe/unsubscribeToken';

const SECRET = 'current-secret-0123456789abcdef-0123';
const OLD_SECRET = 'previous-secret-0123456789abcdef-012';
const AT = new Date('2026-03-01T12:34:56.789Z');

/** The same token with its payload re-encoded for another customer, signature kept. */
function forCustomer(token: string, customerId: string): string {
  const [payload, signature] = token.split('.') as [string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
  claims[1] = customerId;
  return `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

describe('unsubscribe tokens', () => {
  const tokens = new UnsubscribeTokens([SECRET]);

  it('verify what they sign: the customer, email, marketing and the second it was issued', () => {
    for (const customerId of ['cust-1', 'ünïcödé.kunde,42', 'a'.repeat(200)]) {
      const token = tokens.sign(customerId, AT);
      assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(tokens.verify(token), {
        kind: 'valid',
        claims: {
          customerId,
          channel: 'email',
          purpose: 'marketing',
          issuedAt: new Date('2026-03-01T12:34:56.000Z'),
        },
      });
    }
  });

  it("refuse a token edited to name another customer: the signature covers the customer's ID", () => {
    const forged = forCustomer(tokens.sign('cust-1', AT), 'cust-2');
    assert.deepEqual(tokens.verify(forged), { kind: 'invalid', reason: 'bad-signature' });
  });

  it('refuse a token signed with a secret they do not hold', () => {
    const other = new UnsubscribeTokens(['someone-elses-secret-0123456789abcdef']);
    assert.deepEqual(tokens.verify(other.sign('cust-1', AT)), { kind: 'invalid', reason: 'bad-signature' });
  });

  it('refuse truncated and malformed tokens without throwing', () => {
    const token = tokens.sign('cust-1', AT);
    const [payload = '', signature = ''] = token.split('.');
    const malformed: unknown[] = [
      token.slice(0, -1),
      token.slice(0, -10),
      payload,
      `${payload}.`,
      `.${signature}`,
      `${token}.extra`,
      `${payload}.${signature}=`,
      `${payload}.${signature.slice(0, -1)}+`,
      '',
      'not a token',
      'x'.repeat(5000),
      null,
      undefined,
      42,
      { token },
    ];
    for (const input of malformed) {
      assert.deepEqual(tokens.verify(input), { kind: 'invalid', reason: 'malformed' }, String(input));
    }
    assert.deepEqual(tokens.verify(`${payload.slice(0, -2)}.${signature}`), {
      kind: 'invalid',
      reason: 'bad-signature',
    });
  });

  it('accept only one spelling of a signature, so each token has exactly one form', () => {
    const token = tokens.sign('cust-1', AT);
    const last = token.at(-1) ?? '';
    // 32 bytes leave 2 unused bits in the last base64url character: flipping them decodes the same.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1] ?? '';
    const variant = `${token.slice(0, -1)}${twin}`;
    assert.deepEqual(
      Buffer.from(variant.split('.')[1]!, 'base64url'),
      Buffer.from(token.split('.')[1]!, 'base64url'),
    );
    assert.deepEqual(tokens.verify(variant), { kind: 'invalid', reason: 'malformed' });
  });

  it('rotate: the first secret signs, every listed secret verifies, a removed one no longer does', () => {
    const before = new UnsubscribeTokens([OLD_SECRET]);
    const during = new UnsubscribeTokens([SECRET, OLD_SECRET]);
    const after = new UnsubscribeTokens([SECRET]);
    const oldToken = before.sign('cust-1', AT);
    const newToken = during.sign('cust-1', AT);
    assert.equal(during.verify(oldToken).kind, 'valid');
    assert.equal(during.verify(newToken).kind, 'valid');
    assert.equal(after.verify(newToken).kind, 'valid');
    assert.deepEqual(before.verify(newToken), { kind: 'invalid', reason: 'bad-signature' });
    assert.deepEqual(after.verify(oldToken), { kind: 'invalid', reason: 'bad-signature' });
  });

  it('refuse secrets too short to be safe, and an empty list', () => {
    assert.throws(() => new UnsubscribeTokens([]), /at least one secret/);
    assert.throws(() => new UnsubscribeTokens([SECRET, 'short']), /secret #2 is shorter than 32 characters/);
  });
});

describe('unsubscribe headers', () => {
  const signer = new UnsubscribeTokens([SECRET]);

  it('carry the signed link in List-Unsubscribe and announce one-click POST (RFC 8058)', () => {
    const link = unsubscribeLink({ signer, baseUrl: 'https://mail.example.com' }, 'cust-1', AT);
    const token = new URL(link.url).searchParams.get('token');
    assert.equal(link.url, `https://mail.example.com/unsubscribe?token=${token}`);
    assert.deepEqual(signer.verify(token), {
      kind: 'valid',
      claims: {
        customerId: 'cust-1',
        channel: 'email',
        purpose: 'marketing',
        issuedAt: new Date('2026-03-01T12:34:56Z'),
      },
    });
    assert.deepEqual(link.headers, {
      'List-Unsubscribe': `<${link.url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    assert.equal(ONE_CLICK, 'List-Unsubscribe=One-Click');
  });

  it('put the endpoint under the base URL path, with or without a trailing slash', () => {
    assert.equal(
      unsubscribeUrl('http://127.0.0.1:8787', 'a.b'),
      'http://127.0.0.1:8787/unsubscribe?token=a.b',
    );
    assert.equal(
      unsubscribeUrl('https://x.example/mail/', 'a.b'),
      'https://x.example/mail/unsubscribe?token=a.b',
    );
    assert.equal(
      unsubscribeUrl('https://x.example/mail', 'a.b'),
      'https://x.example/mail/unsubscribe?token=a.b',
    );
  });
});

describe('unsubscribe configuration', () => {
  const env = {
    MONGODB_URI: 'mongodb://127.0.0.1:27017/',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
    TWILIO_AUTH_TOKEN: 'secret-token',
    TWILIO_FROM: '+15005550006',
  };

  it('is off without secrets, and links to the local ingest port unless a public URL is set', () => {
    assert.equal(loadConfig(env).unsubscribe, undefined);
    assert.deepEqual(
      loadConfig({ ...env, UNSUBSCRIBE_SECRETS: `${SECRET} , ${OLD_SECRET}`, INGEST_PORT: '9090' })
        .unsubscribe,
      {
        secrets: [SECRET, OLD_SECRET],
        baseUrl: 'http://127.0.0.1:9090',
      },
    );
    const configured = loadConfig({
      ...env,
      UNSUBSCRIBE_SECRETS: SECRET,
      UNSUBSCRIBE_BASE_URL: 'https://mail.example.com/journeys/',
    });
    assert.equal(configured.unsubscribe?.baseUrl, 'https://mail.example.com/journeys/');
  });

  it('names a short secret and a bad URL without echoing the secrets', () => {
    const weak = 'short-secret-1234';
    assert.throws(
      () =>
        loadConfig({
          ...env,
          UNSUBSCRIBE_SECRETS: `${SECRET},${weak}`,
          UNSUBSCRIBE_BASE_URL: 'https://mail.example.com/?x=1',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems.map((p) => p.variable).sort(), [
          'UNSUBSCRIBE_BASE_URL',
          'UNSUBSCRIBE_SECRETS',
        ]);
        assert.match(
          error.message,
          /UNSUBSCRIBE_SECRETS: is invalid; expected comma-separated secrets .* at least 32 characters/,
        );
        assert.match(
          error.message,
          /UNSUBSCRIBE_BASE_URL: is "https:\/\/mail\.example\.com\/\?x=1"; expected the public https URL/,
        );
        assert.doesNotMatch(error.message, new RegExp(`${weak}|${SECRET}`));
        return true;
      },
    );
  });
});
