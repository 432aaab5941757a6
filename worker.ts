import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { createMailer } from './activities/providers/mailer';
import { connectJourneyClient, type ConnectedJourneyClient } from './router/connect';
import { createTwilioClient } from './activities/providers/twilioClient';
import { ConfigError, loadConfig, type Config } from './schemas/env';
import { connectMongoDb, connectTemporal, UnreachableServiceError } from './router/connectServices';
import { UnsubscribeTokens } from './activities/unsubscribe/unsubscribeToken';
import { InvalidPolicyError, loadPolicy } from './schemas/policy/load';
import { collections, ensureIndexes } from './store/collections';
import { runMigrations } from './store/migrations';
import { sharedWorkflowModules } from './workflows/sharedModules';

export interface JourneyWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: ActivityDeps;
  /** A prebuilt bundle (npm run build:bundle) starts in milliseconds; without it the worker bundles. */
  workflowBundlePath?: string;
  /** Runs kept in memory between tasks; unset, the SDK sizes the cache from the heap limit. */
  maxCachedWorkflows?: number;
}

/** The one place that decides what a journey worker registers; used by main, the demo and tests. */
export function createJourneyWorker(options: JourneyWorkerOptions): Promise<Worker> {
  const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> =
    options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : {
          workflowsPath: require.resolve('./workflows'),
          bundlerOptions: { preloadModules: sharedWorkflowModules },
        };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities(options.activities),
    ...workflows,
    ...(options.maxCachedWorkflows !== undefined && { maxCachedWorkflows: options.maxCachedWorkflows }),
  });
}

/**
 * One machine-readable line (`worker: status {json}`) for operators and the benchmarks: how many
 * runs the cache holds and what the process's memory is, sampled together so they can be related.
 * Workflows run in the SDK's worker threads: their heaps count in `rssBytes`, not in `heapUsedBytes`
 * (this thread's heap: activities and clients).
 */
export function statusLine(worker: Worker): string {
  const memory = process.memoryUsage();
  const status = {
    cachedWorkflows: worker.getStatus().numCachedWorkflows,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
  };
  return `worker: status ${JSON.stringify(status)}`;
}

/**
 * Connects to MongoDB and Temporal, runs until SIGINT or SIGTERM (the SDK's runtime turns either
 * into a graceful shutdown: no new tasks, running activities finish), then closes every client.
 */
export async function runWorker(config: Config, onReady?: (worker: Worker) => void): Promise<void> {
  // Read before connecting to anything: a bad policy file stops the worker with its own message.
  const offerSettings = loadPolicy(config.policyFile).offers;
  const mongo = await connectMongoDb(config.mongo);
  const mailer = createMailer(config.smtpUrl);
  let connection: NativeConnection | undefined;
  let publisher: ConnectedJourneyClient | undefined;
  try {
    // Events the engine computes (a timer falling due, a scheduled moment) enter like any other.
    publisher = await connectJourneyClient(config);
    const db = mongo.db(config.mongo.db);
    await ensureIndexes(db);
    await runMigrations(db);
    connection = await connectTemporal(config.temporal, (options) => NativeConnection.connect(options));
    const worker = await createJourneyWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities: {
        collections: collections(db),
        mailer,
        mailFrom: config.mailFrom,
        twilio: createTwilioClient(config.twilio),
        smsFrom: config.twilio.from,
        ...(config.twilio.statusCallbackUrl !== undefined && {
          smsStatusCallbackUrl: config.twilio.statusCallbackUrl,
        }),
        offerSettings,
        publisher: publisher.journeys,
        ...(config.unsubscribe && {
          unsubscribe: {
            signer: new UnsubscribeTokens(config.unsubscribe.secrets),
            baseUrl: config.unsubscribe.baseUrl,
          },
        }),
      },
      ...(config.workflowBundlePath === undefined ? {} : { workflowBundlePath: config.workflowBundlePath }),
      ...(config.worker.maxCachedWorkflows !== undefined && {
        maxCachedWorkflows: config.worker.maxCachedWorkflows,
      }),
    });
    onReady?.(worker);
    const reporting =
      config.worker.statusIntervalMs === undefined
        ? undefined
        : setInterval(() => console.log(statusLine(worker)), config.worker.statusIntervalMs);
    try {
      await worker.run();
    } finally {
      clearInterval(reporting);
    }
  } finally {
    mailer.close();
    await publisher?.close();
    await connection?.close();
    await mongo.close();
  }
}

if (require.main === module) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(2);
  }
  // Said at start-up so that links pointing at a development default are noticed before mail goes out.
  console.log(
    config.unsubscribe
      ? `worker: unsubscribe links in marketing email point at ${config.unsubscribe.baseUrl}`
      : 'worker: UNSUBSCRIBE_SECRETS is not set: marketing email goes out without an unsubscribe link',
  );
  runWorker(config, () =>
    console.log(`worker: polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address}`),
  ).then(
    () => console.log('worker: stopped cleanly'),
    (error: unknown) => {
      if (error instanceof InvalidPolicyError || error instanceof ConfigError) {
        console.error(error.message);
        process.exit(2);
      }
      // A server it cannot reach: the message names the variable and what to check; a stack adds nothing.
      if (error instanceof UnreachableServiceError) {
        console.error(`worker: ${error.message}`);
        process.exit(1);
      }
      console.error('worker: failed:', error);
      process.exit(1);
    },
  );
}
