import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type CommandStartedEvent, type Db } from 'mongodb';
import type { Transporter } from 'nodemailer';
import type { Twilio } from 'twilio';
import type { ActivityDeps } from '../../activities';
import { createMailer } from '../../activities/providers/mailer';
import { createTwilioClient } from '../../activities/providers/twilioClient';
import { UnsubscribeTokens } from '../../activities/unsubscribe/unsubscribeToken';
import { DEVSTACK_TWILIO } from '../../tools/devstack/stack';
import { SmtpSink } from '../../tools/devstack/smtpSink';
import { TwilioEndpoint } from '../../tools/devstack/twilioEndpoint';
import { collections, ensureIndexes, type Collections } from '../../store/collections';

/**
 * Where the tests' marketing email links to. Nothing listens there: a test that follows a link
 * sends its path and query to its own ingest server, as a proxy in front of it would.
 */
export const TEST_UNSUBSCRIBE_BASE_URL = 'https://mail.shop.example.test';

/** MongoDB (FerretDB or MONGODB_URI), SMTP and the Twilio-API endpoint, real and on loopback. */
export interface ChannelServers {
  mongodbUri: string;
  db: Db;
  collections: Collections;
  smtp: SmtpSink;
  twilio: TwilioEndpoint;
  mailer: Transporter;
  twilioClient: Twilio;
  /** Signs the unsubscribe links of the activities' marketing email, and verifies them. */
  unsubscribeTokens: UnsubscribeTokens;
  activityDeps: ActivityDeps;
  close(): Promise<void>;
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Connects to `mongodbUri` with a database unique to this test file, and starts the channel sinks.
 * `monitor` hears every command the connection sends (test/support/commandLog.ts), ensureIndexes's first.
 */
export async function startChannelServers(
  mongodbUri: string,
  dbName: string,
  monitor?: (event: CommandStartedEvent) => void,
): Promise<ChannelServers> {
  const mongo = new MongoClient(mongodbUri, { monitorCommands: monitor !== undefined });
  if (monitor !== undefined) mongo.on('commandStarted', monitor);
  await mongo.connect();
  const db = mongo.db(dbName);
  await ensureIndexes(db);
  const smtp = await SmtpSink.start();
  const twilio = await TwilioEndpoint.start({ accounts: [DEVSTACK_TWILIO] });
  const mailer = createMailer(smtp.url);
  const twilioClient = createTwilioClient({ ...DEVSTACK_TWILIO, apiBaseUrl: twilio.baseUrl });
  const cols = collections(db);
  const unsubscribeTokens = new UnsubscribeTokens(['test-unsubscribe-secret-0123456789abcdef']);
  return {
    mongodbUri,
    db,
    collections: cols,
    smtp,
    twilio,
    mailer,
    twilioClient,
    unsubscribeTokens,
    activityDeps: {
      collections: cols,
      mailer,
      mailFrom: 'Shop <shop@example.test>',
      twilio: twilioClient,
      smsFrom: DEVSTACK_TWILIO.from,
      unsubscribe: { signer: unsubscribeTokens, baseUrl: TEST_UNSUBSCRIBE_BASE_URL },
      // Tests write offers and evidence, then decide at once: read them fresh for every decision.
      offerRefreshMs: 0,
    },
    async close() {
      mailer.close();
      await smtp.stop();
      await twilio.stop();
      await mongo.close();
    },
  };
}
