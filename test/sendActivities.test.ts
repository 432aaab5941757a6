import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities, type DeliveryContext } from '../activities';
import { ErrorType } from '../activities/errors';
import type { Decision } from '../engine/interpreter/types';
import { messageIdFor } from '../activities/mailIdentity';
import { ATTEMPT_LEASE_MS } from '../store/deliveries';
import { createMailer } from '../activities/providers/mailer';
import { startFerretDb, type FerretDb } from '../tools/devstack/ferretdb';
import { SmtpSink } from '../tools/devstack/smtpSink';
import { freePort } from '../tools/devstack/net';
import { uniqueId } from './support/events';
import { startChannelServers, tempDir, type ChannelServers } from './support/servers';

/*
 * The send activities called directly, as Temporal would on a retry, against real MongoDB, SMTP
 * and the Twilio-API endpoint: the idempotency key, not the activity attempt, decides what is sent.
 */
describe('send activities', () => {
  const dir = tempDir('journeys-sends');
  let ferret: FerretDb | undefined;
  let servers: ChannelServers;
  let activities: ReturnType<typeof createActivities>;

  before(async () => {
    const uri =
      process.env.MONGODB_URI ||
      (ferret = await startFerretDb({ dataDir: dir.path, port: await freePort() })).uri;
    servers = await startChannelServers(uri, `test_sends_${Date.now()}`);
    activities = createActivities(servers.activityDeps);
  });
  after(async () => {
    await servers?.close();
    await ferret?.stop();
    dir.remove();
  });

  const context = (): DeliveryContext => {
    const customerId = uniqueId('cust');
    const entryEventId = uniqueId('evt');
    return {
      idempotencyKey: `cart-abandonment:${customerId}:${entryEventId}:reminder`,
      customerId,
      playbookId: 'cart-abandonment',
      playbookVersion: 1,
      journeyId: `journey:cart-abandonment:${customerId}`,
      entryEventId,
      step: 'reminder',
      arm: 'treatment',
    };
  };
  const message = { subject: 'Your cart', text: 'Items…', html: '<p>Items…</p>' };

  /**
   * A record as an earlier attempt left it: `sending` with no live lease (a worker killed mid-call)
   * or `pending` (the provider refused outright, so calling again is safe).
   */
  const leftBehind = async (
    ctx: DeliveryContext,
    channel: 'email' | 'sms',
    to: string,
    status: 'sending' | 'pending',
  ) => {
    const at = new Date(Date.now() - 1_000);
    // Under its key, as a send stores it (records under generated _ids are moved there by a migration).
    await servers.collections.deliveries.insertOne({
      _id: ctx.idempotencyKey,
      ...ctx,
      channel,
      to,
      status,
      attempts: 1,
      createdAt: at,
      updatedAt: at,
    });
  };
  it('an email says who sent it: List-Id, a Message-ID in the From domain, an https List-Unsubscribe, and strict parsers accept it', async () => {
    // A sink of its own that keeps the raw message, for Python's strict parser below.
    const emlDir = tempDir('journeys-eml');
    const sink = await SmtpSink.start({ dir: emlDir.path });
    const mailer = createMailer(sink.url);
    try {
      const send = createActivities({ ...servers.activityDeps, mailer }).sendEmail;
      const ctx = context();
      const to = `${ctx.customerId}@example.test`;
      const ünicode = { ...message, subject: 'Your cart — 2 items, “saved”' };
      assert.equal((await send({ context: ctx, to, message: ünicode, purpose: 'marketing' })).status, 'sent');
      const mail = await sink.waitFor((m) => m.idempotencyKey === ctx.idempotencyKey);
      // From is 'Shop <shop@example.test>' (test/support/servers.ts).
      assert.equal(mail.listId, '<cart-abandonment.example.test>');
      assert.match(mail.messageId ?? '', /^<[0-9a-f]{40}@example\.test>$/);
      assert.match(
        mail.listUnsubscribe ?? '',
        /^<https:\/\/mail\.shop\.example\.test\/unsubscribe\?token=[^>]+>$/,
      );

      // Python's email package in strict policy raises on any defect it finds while parsing.
      const [eml] = readdirSync(emlDir.path).filter((name) => name.endsWith('.eml'));
      assert.ok(eml, 'the sink wrote the message');
      const script = [
        'import email, email.policy, json, sys',
        'msg = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.strict)',
        'defects = [str(d) for part in msg.walk() for d in part.defects]',
        'defects += [f"{k}: {d}" for k, v in msg.items() for d in v.defects]',
        'print(json.dumps({"defects": defects, "headers": {k: str(v) for k, v in msg.items()}}))',
      ].join('\n');
      const parsed = JSON.parse(
        execFileSync('python3', ['-c', script, join(emlDir.path, eml)], { encoding: 'utf8' }),
      ) as { defects: string[]; headers: Record<string, string> };
      assert.deepEqual(parsed.defects, []);
      assert.equal(parsed.headers['List-ID'], '<cart-abandonment.example.test>');
      assert.equal(parsed.headers['Message-ID'], mail.messageId);
      assert.equal(parsed.headers.Subject, ünicode.subject);
    } finally {
      mailer.close();
      await sink.stop();
      emlDir.remove();
    }
  });

  it('a retried email send finds the key settled and sends nothing', async () => {
    const ctx = context();
    const to = `${ctx.customerId}@example.test`;
    const first = await activities.sendEmail({ context: ctx, to, message });
    const retry = await activities.sendEmail({ context: ctx, to, message });
    assert.equal(first.status, 'sent');
    assert.deepEqual(retry, {
      status: 'already-settled',
      settledAs: 'sent',
      providerMessageId: first.status === 'sent' ? first.providerMessageId : '',
    });
    assert.equal(servers.smtp.messages.filter((m) => m.idempotencyKey === ctx.idempotencyKey).length, 1);
  });

  it('an attempt the provider refused outright is followed by one that sends, counted as attempt 2', async () => {
    const ctx = context();
    const to = `${ctx.customerId}@example.test`;
    await leftBehind(ctx, 'email', to, 'pending');
    const result = await activities.sendEmail({ context: ctx, to, message });
    assert.equal(result.status, 'sent');
    assert.equal(result.status === 'sent' && result.attempts, 2);
    const record = await servers.collections.deliveries.findOne({ idempotencyKey: ctx.idempotencyKey });
    assert.equal(record?.status, 'sent');
    assert.equal(record?.attempts, 2);
  });

  it('a suppression is recorded once, however often it is retried', async () => {
    const ctx = context();
    await activities.recordSuppression({
      context: ctx,
      reason: 'holdout',
      channel: 'email',
      to: 'x@example.test',
    });
    await activities.recordSuppression({
      context: ctx,
      reason: 'holdout',
      channel: 'email',
      to: 'x@example.test',
    });
    assert.equal(
      await servers.collections.deliveries.countDocuments({ idempotencyKey: ctx.idempotencyKey }),
      1,
    );
    const sent = await activities.sendEmail({ context: ctx, to: 'x@example.test', message });
    assert.deepEqual(sent, { status: 'already-settled', settledAs: 'suppressed' });
  });

  it('a Twilio 400 is permanent: the record fails and the activity must not be retried', async () => {
    const ctx = context();
    await assert.rejects(
      activities.sendSms({ context: ctx, to: '+0123', body: 'hi' }),
      (error: unknown) =>
        error instanceof ApplicationFailure &&
        error.nonRetryable &&
        error.type === ErrorType.PermanentDeliveryFailure &&
        /Twilio 21211/.test(error.message),
    );
    const record = await servers.collections.deliveries.findOne({ idempotencyKey: ctx.idempotencyKey });
    assert.equal(record?.status, 'failed');
    assert.match(record?.reason ?? '', /not a valid phone number/);
    assert.equal(record?.bounce, 'hard', 'an invalid number is the recipient’s fault');
  });

  it('an SMTP 5xx is a hard bounce: failed for good, and that address is off for the customer', async () => {
    const ctx = context();
    const to = `${ctx.customerId}@example.test`;
    servers.smtp.injectFaults({ kind: 'reply', code: 550, message: 'mailbox unavailable' });
    await assert.rejects(
      activities.sendEmail({ context: ctx, to, message, purpose: 'marketing' }),
      (error: unknown) =>
        error instanceof ApplicationFailure && error.nonRetryable && /SMTP 550/.test(error.message),
    );
    const record = await servers.collections.deliveries.findOne({ idempotencyKey: ctx.idempotencyKey });
    assert.equal(record?.status, 'failed');
    assert.equal(record?.bounce, 'hard');
    const profile = await servers.collections.profiles.findOne({ _id: ctx.customerId });
    assert.equal(profile?.bounced?.email?.address, to);
    assert.match(profile?.bounced?.email?.reason ?? '', /SMTP 550/);
  });

  it('a send writes the decisions it carries before the provider answers, once across retries, also when it bounces', async () => {
    const ctx = context();
    const to = `${ctx.customerId}@example.test`;
    const who = { at: new Date().toISOString(), customerId: ctx.customerId, playbookId: ctx.playbookId };
    const decisions = {
      journeyId: ctx.journeyId,
      entryEventId: ctx.entryEventId,
      playbookVersion: 1,
      firstSeq: 0,
      decisions: [
        { ...who, step: null, action: 'enter' },
        { ...who, step: 'reminder', action: 'send', channel: 'email' },
      ] satisfies Decision[],
    };
    servers.smtp.injectFaults({ kind: 'reply', code: 550, message: 'mailbox unavailable' });
    await assert.rejects(activities.sendEmail({ context: ctx, to, message, decisions }));
    await activities.sendEmail({ context: ctx, to, message, decisions });
    const recorded = await servers.collections.decisions
      .find({ journeyId: ctx.journeyId })
      .sort({ seq: 1 })
      .toArray();
    assert.deepEqual(
      recorded.map((d) => [d.seq, d.action, d.step ?? null]),
      [
        [0, 'enter', null],
        [1, 'send', 'reminder'],
      ],
    );
  });

  it('an SMTP 4xx is transient: back to pending, and the retry sends once', async () => {
    const ctx = context();
    const to = `${ctx.customerId}@example.test`;
    servers.smtp.injectFaults({ kind: 'reply', code: 451, message: 'try again later' });
    await assert.rejects(
      activities.sendEmail({ context: ctx, to, message, purpose: 'marketing' }),
      (error: unknown) => !(error instanceof ApplicationFailure),
    );
    const waiting = await servers.collections.deliveries.findOne({ idempotencyKey: ctx.idempotencyKey });
    assert.equal(waiting?.status, 'pending');
    const retry = await activities.sendEmail({ context: ctx, to, message, purpose: 'marketing' });
    assert.equal(retry.status === 'sent' && retry.attempts, 2);
    assert.equal(servers.smtp.messages.filter((m) => m.idempotencyKey === ctx.idempotencyKey).length, 1);
  });

  it('a connection dropped after DATA leaves a marketing email unknown, and it is never resent', async () => {
    const ctx = context();
    const to = `${ctx.customerId}@example.test`;
    servers.smtp.injectFaults({ kind: 'accept-then-drop' });
    const first = await activities.sendEmail({ context: ctx, to, message, purpose: 'marketing' });
    assert.equal(first.status, 'unknown');
    const retry = await activities.sendEmail({ context: ctx, to, message, purpose: 'marketing' });
    assert.deepEqual(retry, { status: 'already-settled', settledAs: 'unknown' });
    const record = await servers.collections.deliveries.findOne({ idempotencyKey: ctx.idempotencyKey });
    assert.equal(record?.status, 'unknown');
    assert.equal(record?.reconciled, 'not-resent');
    assert.equal(servers.smtp.messages.filter((m) => m.idempotencyKey === ctx.idempotencyKey).length, 1);
  });

  it('a transactional email in doubt is sent again under the same Message-ID', async () => {
    const ctx = context();
    const to = `${ctx.customerId}@example.test`;
    await leftBehind(ctx, 'email', to, 'sending');
    const result = await activities.sendEmail({ context: ctx, to, message, purpose: 'transactional' });
    assert.equal(result.status === 'sent' && result.attempts, 2);
    const mail = servers.smtp.messages.find((m) => m.idempotencyKey === ctx.idempotencyKey);
    assert.equal(mail?.messageId, messageIdFor(ctx.idempotencyKey, 'example.test'));
  });

  it('a marketing email whose worker died mid-attempt is sent again under the same Message-ID, and marked so', async () => {
    const ctx = context();
    const to = `${ctx.customerId}@example.test`;
    await leftBehind(ctx, 'email', to, 'sending');
    const result = await activities.sendEmail({ context: ctx, to, message, purpose: 'marketing' });
    assert.equal(result.status === 'sent' && result.attempts, 2);
    const mail = servers.smtp.messages.find((m) => m.idempotencyKey === ctx.idempotencyKey);
    assert.equal(mail?.messageId, messageIdFor(ctx.idempotencyKey, 'example.test'));
    const record = await servers.collections.deliveries.findOne({ idempotencyKey: ctx.idempotencyKey });
    assert.equal(record?.status, 'sent');
    assert.equal(record?.reconciled, 'resent-after-crash', 'a possible second copy is on the record');
  });

  it('an SMS carries its idempotency key in the status callback URL when one is configured', async () => {
    const withCallback = createActivities({
      ...servers.activityDeps,
      smsStatusCallbackUrl: 'http://127.0.0.1:9/twilio/status?tenant=shop',
    });
    const ctx = context();
    const to = `+1555${String(Date.now()).slice(-7)}`;
    await withCallback.sendSms({ context: ctx, to, body: 'hello' });
    const stored = servers.twilio.messages.find((m) => m.to === to);
    const callback = new URL(stored?.statusCallback ?? 'http://missing.invalid');
    assert.equal(callback.searchParams.get('key'), ctx.idempotencyKey);
    assert.equal(callback.searchParams.get('tenant'), 'shop', 'the configured query is kept');
  });

  it('an SMS in doubt that Twilio has is reconciled, not sent again', async () => {
    const ctx = context();
    const to = `+1555${String(Date.now()).slice(-7)}`;
    // The earlier attempt reached Twilio (sent here directly), then the worker died.
    const earlier = await servers.twilioClient.messages.create({
      to,
      from: servers.activityDeps.smsFrom,
      body: 'hi',
    });
    await leftBehind(ctx, 'sms', to, 'sending');
    const result = await activities.sendSms({ context: ctx, to, body: 'hi' });
    assert.deepEqual(result, {
      status: 'sent',
      providerMessageId: earlier.sid,
      attempts: 1,
      reconciled: true,
    });
    assert.equal(servers.twilio.messages.filter((m) => m.to === to).length, 1);
    const record = await servers.collections.deliveries.findOne({ idempotencyKey: ctx.idempotencyKey });
    assert.equal(record?.reconciled, 'found-at-provider');
  });

  it('a Twilio 5xx is ambiguous: recorded unknown, and the retry sends only because Twilio has nothing', async () => {
    const ctx = context();
    const to = `+1555${String(Date.now() + 7).slice(-7)}`;
    servers.twilio.injectFaults({ kind: 'status', status: 500 });
    await assert.rejects(
      activities.sendSms({ context: ctx, to, body: 'hi' }),
      (error: unknown) => !(error instanceof ApplicationFailure),
    );
    const doubt = await servers.collections.deliveries.findOne({ idempotencyKey: ctx.idempotencyKey });
    assert.equal(doubt?.status, 'unknown');
    const retry = await activities.sendSms({ context: ctx, to, body: 'hi' });
    assert.equal(retry.status === 'sent' && retry.attempts, 2);
    assert.equal(servers.twilio.messages.filter((m) => m.to === to).length, 1);
  });

  it('two workers retrying one key at once: exactly one calls the provider', async () => {
    const ctx = context();
    const to = `${ctx.customerId}@example.test`;
    await leftBehind(ctx, 'email', to, 'pending');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        activities.sendEmail({ context: ctx, to, message, purpose: 'marketing' }),
      ),
    );
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled' && o.value.status === 'sent').length, 1);
    assert.equal(servers.smtp.messages.filter((m) => m.idempotencyKey === ctx.idempotencyKey).length, 1);
  });

  /** The `key#2` claim a worker took before it was killed, `ageMs` ago, never recorded on the key. */
  const claimTakenBy = async (ctx: DeliveryContext, ageMs: number) => {
    await servers.collections.deliveryAttempts.insertOne({
      _id: `${ctx.idempotencyKey}#2`,
      idempotencyKey: ctx.idempotencyKey,
      attempt: 2,
      claimedAt: new Date(Date.now() - ageMs),
    });
  };

  it('a claim whose worker died before recording it is skipped once its lease has lapsed, and the email goes once', async () => {
    const ctx = context();
    const to = `${ctx.customerId}@example.test`;
    await leftBehind(ctx, 'email', to, 'sending');
    await claimTakenBy(ctx, ATTEMPT_LEASE_MS + 1_000);
    const result = await activities.sendEmail({ context: ctx, to, message, purpose: 'marketing' });
    assert.deepEqual(
      { status: result.status, attempts: result.status === 'sent' ? result.attempts : undefined },
      { status: 'sent', attempts: 3 },
    );
    assert.equal(servers.smtp.messages.filter((m) => m.idempotencyKey === ctx.idempotencyKey).length, 1);
    const record = await servers.collections.deliveries.findOne({ idempotencyKey: ctx.idempotencyKey });
    assert.deepEqual({ status: record?.status, attempts: record?.attempts }, { status: 'sent', attempts: 3 });
  });

  it('a claim still inside its lease is left to its holder: the retry sends nothing and says why', async () => {
    const ctx = context();
    const to = `${ctx.customerId}@example.test`;
    await leftBehind(ctx, 'email', to, 'sending');
    await claimTakenBy(ctx, 1_000);
    await assert.rejects(
      activities.sendEmail({ context: ctx, to, message, purpose: 'marketing' }),
      /attempt 2 is claimed by another worker/,
    );
    assert.equal(servers.smtp.messages.filter((m) => m.idempotencyKey === ctx.idempotencyKey).length, 0);
    const record = await servers.collections.deliveries.findOne({ idempotencyKey: ctx.idempotencyKey });
    assert.deepEqual(
      { status: record?.status, attempts: record?.attempts },
      { status: 'sending', attempts: 1 },
    );
  });

  it('a Twilio 429 is transient: the activity throws for Temporal to retry, and the retry sends once', async () => {
    const ctx = context();
    const to = `+1555${String(Date.now()).slice(-7)}`;
    servers.twilio.injectFaults({ kind: 'status', status: 429 });
    await assert.rejects(
      activities.sendSms({ context: ctx, to, body: 'hi' }),
      (error: unknown) => !(error instanceof ApplicationFailure),
    );
    const retry = await activities.sendSms({ context: ctx, to, body: 'hi' });
    assert.equal(retry.status, 'sent');
    assert.equal(servers.twilio.messages.filter((m) => m.to === to).length, 1);
  });
});
