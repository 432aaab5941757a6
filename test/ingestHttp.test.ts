import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { IngestServer, PortInUseError } from '../router/http/httpServer';
import { cartEvent, MemoryPublisher } from './support/memoryPublisher';

const TOKEN = 'test-token-0123456789';
const MAX_BODY = 16 * 1024;

interface SendOptions {
  contentType?: string;
  /** null sends no Authorization header at all. */
  token?: string | null;
  method?: string;
  path?: string;
}

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

describe('HTTP ingestion endpoint', () => {
  let publisher: MemoryPublisher;
  let server: IngestServer;
  const logged: string[] = [];

  before(async () => {
    publisher = new MemoryPublisher();
    server = await IngestServer.start({
      publisher,
      tokens: ['other-token', TOKEN],
      maxBodyBytes: MAX_BODY,
      maxEventsPerRequest: 5,
      log: (line) => logged.push(line),
    });
  });
  after(() => server.stop());
  beforeEach(() => {
    publisher.accepted.length = 0;
    publisher.calls.length = 0;
    publisher.failWith = undefined;
  });

  async function send(
    body: string,
    {
      contentType = 'application/json',
      token = TOKEN,
      method = 'POST',
      path = '/v1/events',
    }: SendOptions = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { 'Content-Type': contentType };
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      ...(method === 'GET' ? {} : { body }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  it('accepts a valid event with 202 and publishes it', async () => {
    const event = cartEvent('c-1');
    const reply = await send(JSON.stringify(event));
    assert.equal(reply.status, 202);
    assert.deepEqual(reply.body, {
      results: [{ index: 0, eventId: event.eventId, status: 'accepted', deliveredTo: ['cart-abandonment'] }],
    });
    assert.deepEqual(
      publisher.accepted.map((e) => e.eventId),
      [event.eventId],
    );
  });

  it('accepts events in the form from before the renames and publishes them in the new form', async () => {
    const cart = cartEvent('c-old');
    const { price, ...item } = cart.data.items[0]!;
    const oldCart = { ...cart, data: { ...cart.data, items: [{ ...item, unitPrice: price }] } };
    const order = {
      eventId: 'evt-old-order',
      type: 'order.placed',
      customerId: 'c-old',
      occurredAt: new Date().toISOString(),
      data: {
        orderId: 'o-1',
        items: [{ sku: 'A', category: 'c', price: 5, quantity: 1 }],
        total: 5,
        currency: 'EUR',
        channel: 'store',
      },
    };
    const reply = await send(JSON.stringify([oldCart, order]));
    assert.equal(reply.status, 202, JSON.stringify(reply.body));
    const { channel: _old, ...orderData } = order.data;
    assert.deepEqual(publisher.accepted, [cart, { ...order, data: { ...orderData, salesChannel: 'store' } }]);
  });

  it('reports a re-sent event as duplicate, still 202', async () => {
    const event = cartEvent('c-2');
    await send(JSON.stringify([event]));
    const reply = await send(JSON.stringify([event]));
    assert.equal(reply.status, 202);
    assert.equal((reply.body.results as { status: string }[])[0]?.status, 'duplicate');
  });

  it('rejects an invalid event with 400 and per-field issues, while its valid sibling is published', async () => {
    const good = cartEvent('c-3');
    const { customerId: _dropped, ...noCustomer } = cartEvent('c-4');
    const badQuantity = cartEvent('c-5');
    badQuantity.data.items[0]!.quantity = 0;
    const reply = await send(JSON.stringify([good, noCustomer, badQuantity]));

    assert.equal(reply.status, 400);
    assert.equal(reply.body.error, 'rejected');
    assert.match(String(reply.body.message), /2 of 3 events were rejected .* the other 1 were published/);
    assert.deepEqual(reply.body.results, [
      { index: 0, eventId: good.eventId, status: 'accepted', deliveredTo: ['cart-abandonment'] },
      {
        index: 1,
        eventId: noCustomer.eventId,
        status: 'rejected',
        issues: [{ path: 'customerId', message: 'Invalid input: expected string, received undefined' }],
      },
      {
        index: 2,
        eventId: badQuantity.eventId,
        status: 'rejected',
        issues: [{ path: 'data.items[0].quantity', message: 'Too small: expected number to be >0' }],
      },
    ]);
    assert.deepEqual(
      publisher.accepted.map((e) => e.eventId),
      [good.eventId],
    );
    assert.equal(publisher.calls.length, 1, 'all events of a request go to the publisher in one call');
  });

  it('rejects a single invalid event with 400 naming its issues', async () => {
    const reply = await send(JSON.stringify({ ...cartEvent('c-6'), coupon: 'X' }));
    assert.equal(reply.status, 400);
    assert.match(String(reply.body.message), /^the event was rejected: coupon: unknown field/);
    assert.equal(publisher.accepted.length, 0);
  });

  it('rejects a link that is not http(s) with 400 naming the field, publishing nothing', async () => {
    const event = cartEvent('c-url');
    const hostile = { ...event, data: { ...event.data, cartUrl: 'javascript:alert(document.cookie)//' } };
    const reply = await send(JSON.stringify(hostile));
    assert.equal(reply.status, 400);
    assert.match(
      String(reply.body.message),
      /^the event was rejected: data\.cartUrl: expected a web address starting with http:\/\/ or https:\/\//,
    );
    assert.equal(publisher.accepted.length, 0);
  });

  it('accepts ndjson, skipping blank lines and naming the line of malformed JSON', async () => {
    const [a, b] = [cartEvent('c-7'), cartEvent('c-8')];
    const body = `${JSON.stringify(a)}\n\n{"eventId": oops}\r\n${JSON.stringify(b)}\n`;
    const reply = await send(body, { contentType: 'application/x-ndjson' });
    assert.equal(reply.status, 400);
    const results = reply.body.results as {
      index: number;
      line: number;
      status: string;
      issues?: unknown[];
    }[];
    assert.deepEqual(
      results.map((r) => [r.index, r.line, r.status]),
      [
        [0, 1, 'accepted'],
        [1, 3, 'rejected'],
        [2, 4, 'accepted'],
      ],
    );
    assert.match(JSON.stringify(results[1]?.issues), /"path":"\(root\)","message":"invalid JSON: /);
    assert.deepEqual(
      publisher.accepted.map((e) => e.eventId),
      [a.eventId, b.eventId],
    );

    const clean = await send(`${JSON.stringify(cartEvent('c-9'))}\n`, {
      contentType: 'application/x-ndjson; charset=utf-8',
    });
    assert.equal(clean.status, 202);
  });

  it('answers malformed JSON with 400 and the parse error, publishing nothing', async () => {
    const reply = await send('[{"eventId": "e1",');
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error, 'invalid_json');
    assert.match(String(reply.body.message), /^the request body is not valid JSON: /);
    assert.equal(publisher.calls.length, 0);
  });

  it('refuses a missing, malformed or wrong token with 401 and a Bearer challenge, never echoing it', async () => {
    for (const token of [null, 'wrong-token-secret', '', 'other-token-x']) {
      const reply = await send(JSON.stringify(cartEvent('c-10')), { token });
      assert.equal(reply.status, 401);
      assert.equal(reply.body.error, 'unauthorized');
      assert.match(reply.headers.get('www-authenticate') ?? '', /^Bearer /);
      assert.doesNotMatch(JSON.stringify(reply.body), /wrong-token-secret/);
    }
    assert.equal(publisher.calls.length, 0);
  });

  it('refuses a body over the limit with 413, announced or streamed', async () => {
    const big = JSON.stringify([cartEvent('c-11')]).padEnd(MAX_BODY + 1, ' ');
    const announced = await send(big);
    assert.equal(announced.status, 413);
    assert.equal(announced.body.error, 'payload_too_large');
    assert.match(String(announced.body.message), new RegExp(`larger than ${MAX_BODY} bytes`));

    // Chunked, with no Content-Length: the server stops reading once past the limit.
    const streamed = await postChunked(`${server.url}/v1/events`, 64 * 1024, 64 * 1024 * 1024);
    assert.equal(streamed.status, 413);
    assert.ok(
      streamed.sentBytes < 64 * 1024 * 1024,
      `the client could stop early (sent ${streamed.sentBytes})`,
    );
    assert.equal(publisher.calls.length, 0);
  });

  it('refuses more events than allowed per request with 413', async () => {
    const events = Array.from({ length: 6 }, (_, i) => cartEvent(`c-12-${i}`));
    const reply = await send(JSON.stringify(events));
    assert.equal(reply.status, 413);
    assert.equal(reply.body.error, 'too_many_events');
    assert.match(String(reply.body.message), /holds 6 events; at most 5/);
    assert.equal(publisher.calls.length, 0);
  });

  it('takes at most 100 events per request by default: 101 is refused naming both, 100 go through', async () => {
    const defaults = await IngestServer.start({ publisher, tokens: [TOKEN], log: () => {} });
    try {
      const post = (count: number) =>
        fetch(`${defaults.url}/v1/events`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify(Array.from({ length: count }, (_, i) => cartEvent(`c-limit-${count}-${i}`))),
        });
      const over = await post(101);
      assert.equal(over.status, 413);
      assert.deepEqual(await over.json(), {
        error: 'too_many_events',
        message:
          'the request holds 101 events; at most 100 are accepted per request ' +
          '(INGEST_MAX_EVENTS_PER_REQUEST); split the events over several requests',
        maxEventsPerRequest: 100,
        count: 101,
      });
      assert.equal(publisher.calls.length, 0, 'nothing of the refused request was published');

      const atLimit = await post(100);
      assert.equal(atLimit.status, 202);
      const { results } = (await atLimit.json()) as { results: { status: string }[] };
      assert.equal(results.filter((r) => r.status === 'accepted').length, 100);
      assert.equal(publisher.accepted.length, 100);
    } finally {
      await defaults.stop();
    }
  });

  it('answers 503 when the publisher fails, without leaking its error', async () => {
    publisher.failWith = new Error('MongoServerSelectionError: connect ECONNREFUSED 10.0.0.5:27017');
    const reply = await send(JSON.stringify(cartEvent('c-13')));
    assert.equal(reply.status, 503);
    assert.equal(reply.body.error, 'unavailable');
    assert.match(String(reply.body.message), /retry the same request/);
    assert.doesNotMatch(String(reply.body.message), /10\.0\.0\.5/);
    assert.equal(reply.headers.get('retry-after'), '5');
    assert.match(logged.at(-1) ?? '', /publishing 1 events failed: .*ECONNREFUSED/);
  });

  it('answers 415 for other content types, 405 for other methods, 404 for other paths', async () => {
    const wrongType = await send(JSON.stringify(cartEvent('c-14')), { contentType: 'text/plain' });
    assert.equal(wrongType.status, 415);
    assert.match(
      String(wrongType.body.message),
      /"text\/plain" is not accepted; expected Content-Type application\/json/,
    );
    const latin1 = await send('{}', { contentType: 'application/json; charset=iso-8859-1' });
    assert.equal(latin1.status, 415);

    const wrongMethod = await send('', { method: 'GET' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'POST');

    const unknown = await send('{}', { path: '/v1/evnts' });
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.body.message), /no endpoint at \/v1\/evnts; events go to POST \/v1\/events/);
    assert.equal(publisher.calls.length, 0);
  });

  it('answers /healthz without a token', async () => {
    const reply = await send('', { method: 'GET', path: '/healthz', token: null });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { ok: true });
  });

  it('refuses to start without tokens', async () => {
    await assert.rejects(IngestServer.start({ publisher, tokens: [] }), /no bearer tokens given/);
  });

  it('names the port and INGEST_PORT when the port is already taken, instead of a raw EADDRINUSE', async () => {
    const taken = Number(new URL(server.url).port);
    await assert.rejects(
      IngestServer.start({ publisher, tokens: [TOKEN], port: taken }),
      (error: unknown) => {
        assert.ok(error instanceof PortInUseError);
        assert.equal(error.port, taken);
        assert.match(
          error.message,
          new RegExp(`^127\\.0\\.0\\.1:${taken} is already in use .*set INGEST_PORT to a free port$`),
        );
        return true;
      },
    );
  });
});

/** POSTs `total` bytes in chunks with no Content-Length, stopping when the response arrives. */
function postChunked(
  url: string,
  chunkBytes: number,
  total: number,
): Promise<{ status: number; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const req = request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
    });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, sentBytes }));
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(chunkBytes, 0x20);
    const pump = (): void => {
      while (!answered && sentBytes < total) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}
