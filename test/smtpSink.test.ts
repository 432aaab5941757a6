import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import { SmtpSink } from '../tools/devstack/smtpSink';

describe('the SMTP sink', () => {
  let sink: SmtpSink;
  before(async () => {
    sink = await SmtpSink.start();
  });
  after(() => sink.stop());

  it('outlives a sender killed mid-session (its connection reset) and takes the next message', async () => {
    for (let kill = 0; kill < 2; kill++) {
      const socket = connect(sink.port, '127.0.0.1');
      await new Promise<void>((resolveConnected) => socket.once('connect', () => resolveConnected()));
      // Inside a transaction: smtp-server drops a reset between transactions quietly, not this one.
      for (const line of ['EHLO killed.test', 'MAIL FROM:<a@shop.test>', 'RCPT TO:<b@shop.test>', 'DATA']) {
        socket.write(`${line}\r\n`);
        await sleep(30);
      }
      socket.resetAndDestroy(); // what the kernel does for a SIGKILLed process: RST, no QUIT
      await sleep(100);
    }

    const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, ignoreTLS: true });
    await mailer.sendMail({ from: 'a@shop.test', to: 'b@shop.test', subject: 'after the reset', text: 'hi' });
    mailer.close();
    assert.ok(sink.messages.some((m) => m.subject === 'after the reset'));
  });
});
