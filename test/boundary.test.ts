import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../schemas/env';
import { temporalConnectionOptions } from '../router/temporalConnection';
import { InvalidEventError, parseEvent } from '../schemas/events/parse';
import { cartUpdated } from './support/events';

const validEnv = {
  MONGODB_URI: 'mongodb://127.0.0.1:27017/',
  SMTP_URL: 'smtp://127.0.0.1:2525',
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
  TWILIO_AUTH_TOKEN: 'secret-token',
  TWILIO_FROM: '+15005550006',
};

describe('event validation', () => {
  it('names a missing customerId', () => {
    const { customerId: _dropped, ...event } = cartUpdated('c-1');
    assert.throws(
      () => parseEvent(event),
      (error: unknown) =>
        error instanceof InvalidEventError &&
        error.issues.some((i) => i.path === 'customerId') &&
        error.message.includes(`"${event.eventId}"`),
    );
  });

  it('names every wrongly typed field, with its JSON path', () => {
    const base = cartUpdated('c-1');
    const event = {
      ...base,
      customerId: 42,
      data: { ...base.data, items: [{ sku: 'x', name: 'y', quantity: 'two', price: 1 }] },
    };
    try {
      parseEvent(event);
      assert.fail('expected InvalidEventError');
    } catch (error) {
      assert.ok(error instanceof InvalidEventError);
      assert.deepEqual(
        error.issues.map((i) => i.path),
        ['customerId', 'data.items[0].quantity'],
      );
      assert.match(error.message, /customerId: Invalid input: expected string, received number/);
    }
  });

  it('rejects an unknown event type and unknown fields', () => {
    assert.throws(() => parseEvent({ ...cartUpdated('c-1'), type: 'cart.exploded' }), /type/);
    assert.throws(() => parseEvent({ ...cartUpdated('c-1'), coupon: 'X' }), /coupon: unknown field/);
    assert.throws(() => parseEvent('not json'), /not an object/);
  });
});

describe('configuration', () => {
  it('loads a valid environment with defaults', () => {
    const config = loadConfig(validEnv);
    assert.equal(config.temporal.address, '127.0.0.1:7233');
    assert.equal(config.temporal.taskQueue, 'journeys');
    assert.equal(config.twilio.apiBaseUrl, undefined);
    assert.equal(config.twilio.timeoutMs, 15_000);
    assert.deepEqual(config.worker, {});
  });

  it('reads the worker cache, status line and Twilio knobs, naming a bad one', () => {
    const config = loadConfig({
      ...validEnv,
      WORKER_MAX_CACHED_WORKFLOWS: '25000',
      WORKER_STATUS_INTERVAL_MS: '1000',
      TWILIO_TIMEOUT_MS: '2000',
      TWILIO_STATUS_CALLBACK_URL: 'https://hooks.example.test/twilio/status',
    });
    assert.deepEqual(config.worker, { maxCachedWorkflows: 25_000, statusIntervalMs: 1_000 });
    assert.equal(config.twilio.timeoutMs, 2_000);
    assert.equal(config.twilio.statusCallbackUrl, 'https://hooks.example.test/twilio/status');
    assert.throws(
      () => loadConfig({ ...validEnv, TWILIO_TIMEOUT_MS: '60000', WORKER_MAX_CACHED_WORKFLOWS: 'lots' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /TWILIO_TIMEOUT_MS: is "60000"; expected how long a Twilio API call may take/.test(error.message) &&
        /WORKER_MAX_CACHED_WORKFLOWS: is "lots"/.test(error.message),
    );
  });

  it('reads the events-per-request limit of the HTTP endpoint (default 100), naming a bad one', () => {
    assert.equal(loadConfig(validEnv).ingest.maxEventsPerRequest, 100);
    const config = loadConfig({ ...validEnv, INGEST_MAX_EVENTS_PER_REQUEST: '250' });
    assert.equal(config.ingest.maxEventsPerRequest, 250);
    for (const bad of ['0', '20000', '1e3']) {
      assert.throws(
        () => loadConfig({ ...validEnv, INGEST_MAX_EVENTS_PER_REQUEST: bad }),
        new RegExp(`INGEST_MAX_EVENTS_PER_REQUEST: is "${bad}"; expected the most events one request`),
      );
    }
  });

  it('refuses an unsubscribe base URL that is not https outside loopback, naming the variable and value', () => {
    const secrets = { UNSUBSCRIBE_SECRETS: 'test-unsubscribe-secret-0123456789abcdef' };
    for (const url of ['http://mail.example.com', 'HTTP://mail.example.com/prefix', 'http://10.0.0.5:8080']) {
      assert.throws(
        () => loadConfig({ ...validEnv, ...secrets, UNSUBSCRIBE_BASE_URL: url }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message.includes(`UNSUBSCRIBE_BASE_URL: is "${url}"; expected the public https URL`) &&
          /RFC 8058 one-click unsubscribe requires https/.test(error.message),
        url,
      );
    }
    for (const url of [
      'https://mail.example.com',
      'http://127.0.0.1:8080',
      'http://localhost:8080/mail',
      'http://[::1]:8080',
    ]) {
      assert.equal(
        loadConfig({ ...validEnv, ...secrets, UNSUBSCRIBE_BASE_URL: url }).unsubscribe?.baseUrl,
        url,
      );
    }
    // Unset, the links point at the ingest server on this machine: the dev stack's default.
    assert.equal(loadConfig({ ...validEnv, ...secrets }).unsubscribe?.baseUrl, 'http://127.0.0.1:8080');
  });

  it('names each missing or invalid variable and what it expects, without echoing secrets', () => {
    try {
      loadConfig({ ...validEnv, MONGODB_URI: undefined, TWILIO_FROM: '0701234567', TWILIO_AUTH_TOKEN: '' });
      assert.fail('expected ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.problems.map((p) => p.variable).sort(), [
        'MONGODB_URI',
        'TWILIO_AUTH_TOKEN',
        'TWILIO_FROM',
      ]);
      assert.match(
        error.message,
        /MONGODB_URI: is not set; expected a mongodb:\/\/ or mongodb\+srv:\/\/ connection string/,
      );
      assert.match(
        error.message,
        /TWILIO_FROM: is "0701234567"; expected the sending phone number in E\.164 form/,
      );
      assert.doesNotMatch(error.message, /secret-token/);
    }
  });
});

describe('Temporal connection configuration', () => {
  it('turns TLS on for an API key, without echoing the key in errors', () => {
    const config = loadConfig({ ...validEnv, TEMPORAL_API_KEY: 'cloud-key-123' });
    assert.equal(config.temporal.apiKey, 'cloud-key-123');
    assert.deepEqual(config.temporal.tls, {});
    assert.throws(
      () => loadConfig({ ...validEnv, TEMPORAL_API_KEY: 'cloud-key-123', TEMPORAL_ADDRESS: 'no-port' }),
      (error: unknown) => error instanceof ConfigError && !error.message.includes('cloud-key-123'),
    );
  });

  it('requires both halves of an mTLS client certificate', () => {
    assert.throws(
      () => loadConfig({ ...validEnv, TEMPORAL_TLS_CERT: '/etc/temporal/client.pem' }),
      /TEMPORAL_TLS_KEY: is not set; expected the path of the PEM private key/,
    );
    const config = loadConfig({ ...validEnv, TEMPORAL_TLS_CERT: '/c.pem', TEMPORAL_TLS_KEY: '/k.pem' });
    assert.deepEqual(config.temporal.tls, { clientCert: { certPath: '/c.pem', keyPath: '/k.pem' } });
  });

  it('names the variable whose certificate file cannot be read', () => {
    const config = loadConfig({
      ...validEnv,
      TEMPORAL_TLS_CERT: '/nonexistent/c.pem',
      TEMPORAL_TLS_KEY: '/k.pem',
    });
    assert.throws(
      () => temporalConnectionOptions(config.temporal),
      /TEMPORAL_TLS_CERT: cannot read "\/nonexistent\/c\.pem"/,
    );
  });
});
