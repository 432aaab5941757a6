import { MongoClient } from 'mongodb';
import type { Config, TemporalConfig } from '../schemas/env';
import { maskUriPassword } from '../schemas/masking';
import { temporalConnectionOptions, type TemporalConnectionOptions } from './temporalConnection';

/*
 * Start-up connections to MongoDB and Temporal. A server that cannot be reached stops the process
 * with one message that names the variable, its value (password masked) and what to check, rather
 * than a driver's stack trace or "Failed to connect before the deadline" with no address.
 */

/** A configured server could not be reached at start-up; the message says which and what to check. */
export class UnreachableServiceError extends Error {
  override readonly name = 'UnreachableServiceError';
}

/**
 * How long start-up waits for a MongoDB server, unless MONGODB_URI sets serverSelectionTimeoutMS:
 * the driver's default (30 s) makes a wrong address look like a hang. It also bounds later
 * operations while no server is reachable, which then fail and are retried (activities) or
 * answered 503 (ingest) sooner.
 */
export const MONGODB_STARTUP_TIMEOUT_MS = 10_000;

export async function connectMongoDb(mongo: Config['mongo']): Promise<MongoClient> {
  const shown = `"${maskUriPassword(mongo.uri)}"`;
  const ownTimeout = !/[?&]serverSelectionTimeoutMS=/i.test(mongo.uri);
  let client: MongoClient;
  try {
    client = new MongoClient(
      mongo.uri,
      ownTimeout ? { serverSelectionTimeoutMS: MONGODB_STARTUP_TIMEOUT_MS } : {},
    );
  } catch (error) {
    throw new UnreachableServiceError(
      `MONGODB_URI: ${shown} is not a usable connection string: ${reason(error, mongo.uri)}; ` +
        'check its form (mongodb://user:password@host:port/?options) and that a % in the password is written %25',
    );
  }
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.close().catch(() => undefined);
    const waited = ownTimeout ? ` within ${MONGODB_STARTUP_TIMEOUT_MS / 1000} s` : '';
    throw new UnreachableServiceError(
      `MONGODB_URI: cannot connect to ${shown}${waited}: ${reason(error, mongo.uri)}; ` +
        'check that MongoDB (or FerretDB) is running and reachable at that host and port, ' +
        'and that the user and password are right',
    );
  }
}

/** Connects with the client's Connection or the worker's NativeConnection, naming TEMPORAL_ADDRESS on failure. */
export async function connectTemporal<C>(
  temporal: TemporalConfig,
  connect: (options: TemporalConnectionOptions) => Promise<C>,
): Promise<C> {
  const options = temporalConnectionOptions(temporal);
  try {
    return await connect(options);
  } catch (error) {
    const security = temporal.tls === undefined ? 'plaintext (set TEMPORAL_TLS=true for TLS)' : 'TLS';
    throw new UnreachableServiceError(
      `TEMPORAL_ADDRESS: cannot connect to the Temporal frontend at "${temporal.address}" ` +
        `(namespace "${temporal.namespace}", ${security}): ${reason(error)}; check that the Temporal server ` +
        'is running and reachable at that host and port (`temporal server start-dev` listens on ' +
        '127.0.0.1:7233), and that TEMPORAL_TLS and TEMPORAL_API_KEY match the server',
    );
  }
}

/** The driver's own words, first line only, with a connection string's password masked. */
function reason(error: unknown, uri?: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0] ?? message;
  return uri === undefined ? line : line.split(uri).join(maskUriPassword(uri));
}
