import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFerretDb, type FerretDb } from '../devstack/ferretdb';
import { portOrFree } from '../devstack/net';
import { SmtpSink } from '../devstack/smtpSink';
import { DEVSTACK_TWILIO, DEVSTACK_UNSUBSCRIBE_SECRET } from '../devstack/stack';
import { startTemporalDevServer, type TemporalDevServer } from '../devstack/temporal';
import { TwilioEndpoint } from '../devstack/twilioEndpoint';

/**
 * The dev stack composed piece by piece, so one server can be killed and brought back on the same
 * data and port while the others keep running (tools/devstack/stack.ts starts and stops them as one).
 */
export class ChaosStack {
  private constructor(
    private readonly dataDir: string,
    private readonly ports: { temporal: number; temporalUi: number; mongo: number },
    private temporal: TemporalDevServer | undefined,
    private ferret: FerretDb | undefined,
    readonly smtp: SmtpSink,
    readonly twilio: TwilioEndpoint,
  ) {}

  static async start(dataDir: string): Promise<ChaosStack> {
    mkdirSync(dataDir, { recursive: true });
    const ports = {
      temporal: await portOrFree(undefined),
      temporalUi: await portOrFree(undefined),
      mongo: await portOrFree(undefined),
    };
    const temporal = await startTemporalDevServer({
      dataDir,
      port: ports.temporal,
      uiPort: ports.temporalUi,
    });
    const ferret = await startFerretDb({ dataDir, port: ports.mongo }).catch(async (error: unknown) => {
      await temporal.stop();
      throw error;
    });
    const smtp = await SmtpSink.start({ port: await portOrFree(undefined) });
    const twilio = await TwilioEndpoint.start({
      accounts: [DEVSTACK_TWILIO],
      port: await portOrFree(undefined),
    });
    return new ChaosStack(dataDir, ports, temporal, ferret, smtp, twilio);
  }

  get env(): Record<string, string> {
    return {
      TEMPORAL_ADDRESS: `127.0.0.1:${this.ports.temporal}`,
      MONGODB_URI: `mongodb://127.0.0.1:${this.ports.mongo}/`,
      SMTP_URL: this.smtp.url,
      TWILIO_ACCOUNT_SID: DEVSTACK_TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: DEVSTACK_TWILIO.authToken,
      TWILIO_FROM: DEVSTACK_TWILIO.from,
      TWILIO_API_BASE_URL: this.twilio.baseUrl,
      UNSUBSCRIBE_SECRETS: DEVSTACK_UNSUBSCRIBE_SECRET,
    };
  }

  /** kill -9 of the Temporal dev server: no shutdown, whatever SQLite had not synced is its problem. */
  async killTemporal(): Promise<void> {
    if (this.temporal) await killOutright(this.temporal);
    this.temporal = undefined;
  }

  /** The dev server again, on the same database file and port. */
  async restartTemporal(): Promise<void> {
    this.temporal = await startTemporalDevServer({
      dataDir: this.dataDir,
      port: this.ports.temporal,
      uiPort: this.ports.temporalUi,
    });
  }

  async killFerretDb(): Promise<void> {
    if (this.ferret) await killOutright(this.ferret);
    this.ferret = undefined;
  }

  /** FerretDB again, on the same SQLite files and port. */
  async restartFerretDb(): Promise<void> {
    this.ferret = await startFerretDb({ dataDir: this.dataDir, port: this.ports.mongo });
  }

  async stop(): Promise<void> {
    await this.twilio.stop().catch(() => undefined);
    await this.smtp.stop().catch(() => undefined);
    await this.ferret?.stop().catch(() => undefined);
    await this.temporal?.stop().catch(() => undefined);
  }
}

/** SIGKILL, then waits until the process is gone, so its port is free for the restart. */
async function killOutright(service: { pid: number; stop(): Promise<void> }): Promise<void> {
  try {
    process.kill(service.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  for (let i = 0; i < 100 && isAlive(service.pid); i++) await sleep(50);
  // Closes its log; the process is gone, so nothing is signalled.
  await service.stop();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const chaosDir = (root: string, scenario: number): string => join(root, `scenario-${scenario}`);
