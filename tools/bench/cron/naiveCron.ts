/**
 * The naive cron, as a team without an engine writes it: a separate process that every second finds
 * the `new` events in MongoDB, mails each one, then marks it `sent`. No claim, no lease, no record of
 * an attempt: a process that dies between the send and the mark sends the same mail again when it
 * comes back. That is the design being measured, not an oversight.
 *
 * Run as its own process (tools/bench/cron/cronProcess.ts starts it): MONGODB_URI, SMTP_URL and CRON_DB
 * say where. It prints `cron: polling` once connected.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import { createMailer } from '../../../activities/providers/mailer';
import { cronEvents } from './cronEvents';

const POLL_INTERVAL_MS = 1_000;
const FROM = 'shop@example.test';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`naive cron: ${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const mongo = await MongoClient.connect(required('MONGODB_URI'));
  // The same pooled nodemailer transport the engine's worker uses, so the sends cost the same.
  const mailer = createMailer(required('SMTP_URL'));
  const events = cronEvents(mongo.db(required('CRON_DB')));
  // The one index such a team would add: the poll reads by status, oldest first.
  await events.createIndex({ status: 1, createdAt: 1 });
  let stopping = false;
  const stop = (): void => {
    stopping = true;
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log('cron: polling');
  while (!stopping) {
    // Ticks on the wall-clock second, as `* * * * * *` would, whatever the previous pass took.
    await sleep(POLL_INTERVAL_MS - (Date.now() % POLL_INTERVAL_MS));
    const due = await events.find({ status: 'new' }).sort({ createdAt: 1 }).toArray();
    for (const event of due) {
      await mailer.sendMail({
        from: FROM,
        to: event.to,
        subject: event.subject,
        text: event.text,
        headers: { 'X-Journey-Idempotency-Key': event._id },
      });
      await events.updateOne({ _id: event._id }, { $set: { status: 'sent', sentAt: new Date() } });
    }
  }
  mailer.close();
  await mongo.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
