import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { CommandStartedEvent } from 'mongodb';
import { fixedHoldout, type HoldoutSource } from '../../router/holdoutSource';
import { JourneyClient } from '../../router/journeyClient';
import type { EventPublisher } from '../../schemas/events/publisher';
import type { PlaybookSource } from '../../router/playbookSource';
import { registerSearchAttributes } from '../../router/registerSearchAttributes';
import { startFerretDb, type FerretDb } from '../../tools/devstack/ferretdb';
import { freePort } from '../../tools/devstack/net';
import type { HoldoutScheme } from '../../engine/measurement/holdout';
import { BINARIES } from '../../tools/devstack/paths';
import { loadPlaybooks } from '../../schemas/playbook/load';
import type { Playbook } from '../../schemas/playbook/schema';
import type { ContactPolicy } from '../../schemas/policy/schema';
import { createJourneyWorker } from '../../worker';
import { startChannelServers, tempDir, type ChannelServers } from './servers';

export const TEST_SALT = 'test-salt';

/**
 * The harness clients' scheme. No global control group, unlike production's 5%: most scenarios pick
 * their customers without regard to it and test something else; the global control's own tests pass
 * a scheme that has one.
 */
export const TEST_HOLDOUT: HoldoutScheme = { epoch: 1, salt: TEST_SALT, globalControlPercent: 0 };

/** The shipped cart playbook with the holdout at 0% unless a test asks for one. */
export function cartPlaybook(overrides: Partial<Playbook> = {}): Playbook {
  const cart = loadPlaybooks(`${__dirname}/../../playbooks`).find((p) => p.id === 'cart-abandonment');
  if (!cart) throw new Error('the cart-abandonment playbook is missing');
  return { ...cart, holdout: 0, ...overrides };
}

/**
 * Temporal's Java time-skipping test server, a real worker with real activities, and real MongoDB,
 * SMTP and Twilio-API servers: a one-hour wait takes milliseconds, and nothing is mocked.
 */
export interface TimeSkippingHarness {
  env: TestWorkflowEnvironment;
  servers: ChannelServers;
  taskQueue: string;
  /**
   * A client routing to the given playbooks (default: the cart playbook, holdout 0%), with the
   * given holdout scheme or source (default: TEST_HOLDOUT), and the given clock (default: the
   * wall clock; pass `serverClock()` where the client's time must agree with the runs' time).
   */
  clientWith(
    playbooks?: Playbook | Playbook[] | PlaybookSource,
    policy?: ContactPolicy,
    holdout?: HoldoutScheme | HoldoutSource,
    now?: () => Date,
  ): JourneyClient;
  /** A clock that reads the test server's time, which skipping moves ahead of the wall clock. */
  serverClock(): Promise<() => Date>;
  close(): Promise<void>;
}

/**
 * The Java test server, started by the SDK, which gives it a fixed 5 s to accept connections and
 * then kills it. A JVM on a loaded machine (or under libfaketime, tools/scripts/clockMatrix.sh) can take
 * longer: a start that timed out is tried again, up to five times; any other failure is thrown.
 */
async function startTestServer(): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: BINARIES.temporalTestServer } },
      });
    } catch (error) {
      if (attempt >= 5 || !/did not start within/.test(String(error))) throw error;
    }
  }
}

/** `monitor` hears every command the harness's MongoDB connection sends (client, worker, indexes). */
export async function startTimeSkippingHarness(
  name: string,
  monitor?: (event: CommandStartedEvent) => void,
): Promise<TimeSkippingHarness> {
  const dir = tempDir(`journeys-${name}`);
  let ferret: FerretDb | undefined;
  let env: TestWorkflowEnvironment | undefined;
  let servers: ChannelServers | undefined;
  try {
    const mongodbUri =
      process.env.MONGODB_URI ||
      (ferret = await startFerretDb({ dataDir: dir.path, port: await freePort() })).uri;
    servers = await startChannelServers(mongodbUri, `test_${name}_${Date.now()}`, monitor);
    env = await startTestServer();
    await registerSearchAttributes(env.connection, env.namespace ?? 'default');
    const taskQueue = `journeys-${name}`;
    // Events the engine computes are published through the client the test made last, so they
    // reach the playbooks that test routes to.
    let latest: JourneyClient | undefined;
    const publisher: EventPublisher = {
      publishEvents: (inputs) => {
        if (latest === undefined)
          throw new Error('no client yet: call clientWith() before computed events fire');
        return latest.publishEvents(inputs);
      },
    };
    const worker: Worker = await createJourneyWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      activities: { ...servers.activityDeps, publisher },
    });
    const running = worker.run();
    const readyServers = servers;
    const readyEnv = env;
    return {
      env,
      servers,
      taskQueue,
      clientWith: (playbooks = cartPlaybook(), policy, holdout = TEST_HOLDOUT, now) =>
        (latest = new JourneyClient({
          temporal: readyEnv.client,
          collections: readyServers.collections,
          taskQueue,
          playbooks: Array.isArray(playbooks) ? playbooks : 'current' in playbooks ? playbooks : [playbooks],
          holdout: 'current' in holdout ? holdout : fixedHoldout(holdout),
          ...(policy !== undefined && { policy }),
          ...(now !== undefined && { now }),
          // Skipping moves the runs' clock (and the events they compute) ahead of the wall clock the
          // client reads by default; test/occurredAtWindow.test.ts covers the window on its own.
          occurredAtWindow: 'unchecked',
        })),
      async serverClock() {
        // The server's clock runs at wall-clock speed between skips: one reading gives the offset.
        const offset = (await readyEnv.currentTimeMs()) - Date.now();
        return () => new Date(Date.now() + offset);
      },
      async close() {
        worker.shutdown();
        await running;
        await readyEnv.teardown();
        await readyServers.close();
        await ferret?.stop();
        dir.remove();
      },
    };
  } catch (error) {
    await env?.teardown();
    await servers?.close();
    await ferret?.stop();
    dir.remove();
    throw error;
  }
}
