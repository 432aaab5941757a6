import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { createTwilioClient } from '../activities/providers/twilioClient';
import { TwilioEndpoint } from '../tools/devstack/twilioEndpoint';

const account = {
  accountSid: `AC${randomBytes(16).toString('hex')}`,
  authToken: randomBytes(16).toString('hex'),
};
const sms = { to: '+15558675310', from: '+15005550006', body: 'Your cart misses you' };

/** Matches the SDK's RestException on the two fields sendSms reads to decide whether to retry. */
function twilioError(status: number, code: number) {
  return (error: unknown): boolean => {
    const actual = error as { status?: unknown; code?: unknown };
    assert.deepEqual({ status: actual.status, code: actual.code }, { status, code });
    return true;
  };
}

describe('TwilioEndpoint through the real twilio SDK', () => {
  let endpoint: TwilioEndpoint;

  before(async () => {
    endpoint = await TwilioEndpoint.start({ accounts: [account], port: 0 });
  });
  after(() => endpoint.stop());

  const client = () => createTwilioClient({ ...account, apiBaseUrl: endpoint.baseUrl });

  it('accepts a message, stores exactly it, and serves it back by sid', async () => {
    const created = await client().messages.create(sms);
    assert.match(created.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(created.status, 'queued');
    assert.equal(created.accountSid, account.accountSid);

    const stored = endpoint.messages.filter((m) => m.sid === created.sid);
    assert.equal(stored.length, 1);
    assert.deepEqual(
      { to: stored[0]?.to, from: stored[0]?.from, body: stored[0]?.body },
      { to: sms.to, from: sms.from, body: sms.body },
    );

    const fetched = await client().messages(created.sid).fetch();
    assert.deepEqual(
      { sid: fetched.sid, to: fetched.to, from: fetched.from, body: fetched.body, status: fetched.status },
      { sid: created.sid, ...sms, status: 'queued' },
    );
    assert.equal(fetched.direction, 'outbound-api');
    assert.ok(fetched.dateCreated instanceof Date && !Number.isNaN(fetched.dateCreated.getTime()));
  });

  it('rejects a To that is not E.164 with 400 / 21211 and stores nothing', async () => {
    const storedBefore = endpoint.messages.length;
    await assert.rejects(client().messages.create({ ...sms, to: '555-0100' }), twilioError(400, 21211));
    assert.equal(endpoint.messages.length, storedBefore);
  });

  it('rejects a wrong auth token with 401 / 20003', async () => {
    const wrong = createTwilioClient({
      ...account,
      authToken: 'not-the-token',
      apiBaseUrl: endpoint.baseUrl,
    });
    await assert.rejects(wrong.messages.create(sms), twilioError(401, 20003));
  });

  it('answers a fetch of an unknown sid with 404 / 20404', async () => {
    const unknown = `SM${'0'.repeat(32)}`;
    await assert.rejects(client().messages(unknown).fetch(), twilioError(404, 20404));
  });
});

describe('TwilioEndpoint faults', () => {
  let endpoint: TwilioEndpoint | undefined;

  afterEach(async () => {
    await endpoint?.stop();
    endpoint = undefined;
  });

  async function start(): Promise<TwilioEndpoint> {
    endpoint = await TwilioEndpoint.start({ accounts: [account], port: 0 });
    return endpoint;
  }

  it('replays injected 429 then 500, then accepts; only the accepted message is stored', async () => {
    const server = await start();
    const client = createTwilioClient({ ...account, apiBaseUrl: server.baseUrl });
    server.injectFaults({ kind: 'status', status: 429 }, { kind: 'status', status: 500 });

    await assert.rejects(client.messages.create(sms), twilioError(429, 20429));
    await assert.rejects(client.messages.create(sms), twilioError(500, 20500));
    const created = await client.messages.create(sms);

    assert.deepEqual(
      server.messages.map((m) => m.sid),
      [created.sid],
    );
  });

  it('accept-then-hang: the client times out although the provider stored the message', async () => {
    const server = await start();
    const client = createTwilioClient({ ...account, apiBaseUrl: server.baseUrl, timeoutMs: 200 });
    server.injectFaults({ kind: 'accept-then-hang', ms: 5_000 });

    const started = Date.now();
    await assert.rejects(client.messages.create(sms), (error: unknown) => {
      // axios' timeout error surfaces unwrapped: no Twilio status or code, just ECONNABORTED.
      assert.equal((error as { code?: unknown }).code, 'ECONNABORTED');
      assert.equal((error as { status?: unknown }).status, undefined);
      return true;
    });
    assert.ok(Date.now() - started < 2_000, 'the client gave up at its own timeout, not the hang');
    assert.equal(server.messages.length, 1);
    assert.equal(server.messages[0]?.body, sms.body);
  });

  it('stop() resolves while a request is still hanging', async () => {
    const server = await start();
    const client = createTwilioClient({ ...account, apiBaseUrl: server.baseUrl });
    server.injectFaults({ kind: 'accept-then-hang', ms: 60_000 });

    const pending = client.messages.create(sms);
    while (server.messages.length === 0) await new Promise((resolveTick) => setTimeout(resolveTick, 10));

    const started = Date.now();
    await server.stop();
    assert.ok(Date.now() - started < 1_000, 'stop() did not wait for the hanging reply');
    await assert.rejects(pending);
  });
});
