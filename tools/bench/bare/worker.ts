/**
 * The bare baseline's worker, run as its own process as the engine's is: the same Temporal server,
 * the same SMTP sink and the engine's own pooled mail transport (activities/providers/mailer.ts),
 * on its own task queue. Reads TEMPORAL_ADDRESS, SMTP_URL and BARE_TASK_QUEUE.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createMailer } from '../../../activities/providers/mailer';
import { createBareActivities } from './activities';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const smtpUrl = process.env.SMTP_URL;
  const taskQueue = process.env.BARE_TASK_QUEUE ?? 'bench-bare';
  if (smtpUrl === undefined) throw new Error('SMTP_URL is not set');
  const mailer = createMailer(smtpUrl);
  const connection = await NativeConnection.connect({ address });
  // BARE_BUNDLE_PATH is its old name (a file's path ends in _FILE), still read.
  const bundlePath = process.env.BARE_BUNDLE_FILE || process.env.BARE_BUNDLE_PATH;
  try {
    const worker = await Worker.create({
      connection,
      taskQueue,
      activities: createBareActivities(mailer, 'Bench <bench@localhost>'),
      ...(bundlePath
        ? { workflowBundle: { codePath: bundlePath } }
        : { workflowsPath: require.resolve('./workflow') }),
    });
    console.log(`bare worker: polling task queue "${taskQueue}"`);
    await worker.run();
  } finally {
    mailer.close();
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error('bare worker: failed:', error);
  process.exit(1);
});
