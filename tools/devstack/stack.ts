import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startFerretDb } from './ferretdb';
import { portOrFree } from './net';
import { SmtpSink } from './smtpSink';
import { startTemporalDevServer } from './temporal';
import { TwilioEndpoint, type TwilioAccount } from './twilioEndpoint';

/** The loopback Twilio account; its SID has Twilio's shape so config validation treats it as real. */
export const DEVSTACK_TWILIO: TwilioAccount & { from: string } = {
  accountSid: 'AC00000000000000000000000000000001',
  authToken: 'devstack-auth-token',
  from: '+15005550006',
};

export interface StackPorts {
  temporal: number;
  temporalUi: number;
  mongo: number;
  smtp: number;
  twilio: number;
}

/**
 * Signs the dev stack's unsubscribe links. Public, like the Twilio token above: fine on loopback,
 * and it is why schemas/env.ts gives UNSUBSCRIBE_SECRETS no default of its own.
 */
export const DEVSTACK_UNSUBSCRIBE_SECRET = 'devstack-unsubscribe-secret-not-for-production';

/** The ports `npm run stack` and the demo prefer; a busy one is swapped for a free one. */
export const DEFAULT_PORTS: StackPorts = {
  temporal: 7233,
  temporalUi: 8233,
  mongo: 27017,
  smtp: 2525,
  twilio: 4010,
};

export interface StackOptions {
  dataDir: string;
  /** Preferred ports. Omitted ones (all, by default) are chosen free, as tests want. */
  ports?: Partial<StackPorts>;
  /** An existing MongoDB to use instead of starting FerretDB (the MONGODB_URI convention). */
  mongodbUri?: string;
}

export interface Stack {
  temporalAddress: string;
  temporalUiUrl: string;
  mongodbUri: string;
  smtp: SmtpSink;
  twilio: TwilioEndpoint;
  /** Environment variables that point a worker or client at this stack (see schemas/env.ts). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts Temporal's dev server, FerretDB (unless a MongoDB URI is given), the SMTP sink and the
 * Twilio-API endpoint, all on loopback. If one fails, the ones already running are stopped.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  mkdirSync(options.dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const ports = options.ports ?? {};
    const temporal = await startTemporalDevServer({
      dataDir: options.dataDir,
      port: await portOrFree(ports.temporal),
      uiPort: await portOrFree(ports.temporalUi),
    });
    stops.push(() => temporal.stop());

    let mongodbUri = options.mongodbUri;
    if (mongodbUri === undefined) {
      const ferret = await startFerretDb({ dataDir: options.dataDir, port: await portOrFree(ports.mongo) });
      stops.push(() => ferret.stop());
      mongodbUri = ferret.uri;
    }

    const smtp = await SmtpSink.start({
      port: await portOrFree(ports.smtp),
      dir: join(options.dataDir, 'mail'),
    });
    stops.push(() => smtp.stop());
    const twilio = await TwilioEndpoint.start({
      accounts: [DEVSTACK_TWILIO],
      port: await portOrFree(ports.twilio),
    });
    stops.push(() => twilio.stop());

    return {
      temporalAddress: temporal.address,
      temporalUiUrl: temporal.uiUrl,
      mongodbUri,
      smtp,
      twilio,
      env: {
        TEMPORAL_ADDRESS: temporal.address,
        MONGODB_URI: mongodbUri,
        SMTP_URL: smtp.url,
        TWILIO_ACCOUNT_SID: DEVSTACK_TWILIO.accountSid,
        TWILIO_AUTH_TOKEN: DEVSTACK_TWILIO.authToken,
        TWILIO_FROM: DEVSTACK_TWILIO.from,
        TWILIO_API_BASE_URL: twilio.baseUrl,
        // The links point at `journeys ingest serve` on INGEST_PORT unless UNSUBSCRIBE_BASE_URL says otherwise.
        UNSUBSCRIBE_SECRETS: DEVSTACK_UNSUBSCRIBE_SECRET,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
