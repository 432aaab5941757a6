import { setTimeout as sleep } from 'node:timers/promises';
import type { SmtpSink } from '../../devstack/smtpSink';
import { tallyMail, type MailTally, type SentEvent } from './mailTally';

const POLL_MS = 20;
/** The settled check asks the database; often enough to end the wait promptly, not so often it loads it. */
const SETTLED_CHECK_MS = 250;

/**
 * Waits until every event has mail at the sink and `settled` (if given) agrees nothing more is on
 * its way, or until the timeout, and resolves with the tally either way: a lost mail is a result,
 * not an error. Re-tallies only when the sink has taken something new.
 */
export async function awaitMail(
  sink: SmtpSink,
  events: readonly SentEvent[],
  timeoutMs: number,
  settled?: () => Promise<boolean>,
): Promise<MailTally> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  let tally = tallyMail(events, sink.messages);
  let checkedAt = 0;
  for (;;) {
    if (sink.messages.length !== seen) {
      seen = sink.messages.length;
      tally = tallyMail(events, sink.messages);
    }
    if (Date.now() > deadline) return tally;
    if (tally.lost.length === 0) {
      if (settled === undefined) return tally;
      if (Date.now() - checkedAt >= SETTLED_CHECK_MS) {
        checkedAt = Date.now();
        if (await settled()) return tallyMail(events, sink.messages);
      }
    }
    await sleep(POLL_MS);
  }
}
