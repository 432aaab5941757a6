import { readFileSync } from 'node:fs';
import { ConfigError, type TemporalConfig } from '../schemas/env';

export interface TemporalConnectionOptions {
  address: string;
  apiKey?: string;
  tls?: {
    clientCertPair?: { crt: Buffer; key: Buffer };
    serverRootCACertificate?: Buffer;
  };
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError([{ variable, problem: `cannot read "${path}": ${(error as Error).message}` }]);
  }
}

/** Connection options for both the client's Connection and the worker's NativeConnection. */
export function temporalConnectionOptions(temporal: TemporalConfig): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address: temporal.address };
  if (temporal.apiKey !== undefined) options.apiKey = temporal.apiKey;
  if (temporal.tls !== undefined) {
    const { clientCert, caPath } = temporal.tls;
    options.tls = {
      ...(clientCert && {
        clientCertPair: {
          crt: readPem('TEMPORAL_TLS_CERT', clientCert.certPath),
          key: readPem('TEMPORAL_TLS_KEY', clientCert.keyPath),
        },
      }),
      ...(caPath && { serverRootCACertificate: readPem('TEMPORAL_TLS_CA', caPath) }),
    };
  }
  return options;
}
