import { setTimeout as sleep } from 'node:timers/promises';
import type { SmtpSink } from '../../devstack/smtpSink';
import { tallyMail, type MailTally, type SentEvent } from './mailTally';

const POLL_MS = 20;

const everyEventHasMail = (tally: MailTally): Promise<boolean> => Promise.resolve(tally.lost.length === 0);

/**
 * Waits until `done` says the tally is final (by default: every event has mail at the sink) or
 * until the timeout, and resolves with the tally either way: a lost mail is a result, not an
 * error. Re-tallies only when the sink has taken something new.
 */
export async function awaitMail(
  sink: SmtpSink,
  events: readonly SentEvent[],
  timeoutMs: number,
  done: (tally: MailTally) => Promise<boolean> = everyEventHasMail,
): Promise<MailTally> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  let tally = tallyMail(events, sink.messages);
  for (;;) {
    if (sink.messages.length !== seen) {
      seen = sink.messages.length;
      tally = tallyMail(events, sink.messages);
    }
    if ((await done(tally)) || Date.now() > deadline) return tally;
    await sleep(POLL_MS);
  }
}
