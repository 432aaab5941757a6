import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createActivities, type DeliveryContext } from '../activities';
import { UnsubscribeTokens } from '../activities/unsubscribe/unsubscribeToken';
import type { CapturedEmail } from '../tools/devstack/smtpSink';
import { journeyId } from '../engine/interpreter/entry';
import { IngestServer } from '../router/http/httpServer';
import { upsertProfile } from '../store/profiles';
import type { JourneyResult } from '../workflows/journey';
import { cartUpdated, uniqueId } from './support/events';
import { TEST_UNSUBSCRIBE_BASE_URL } from './support/servers';
import { startTimeSkippingHarness, type TimeSkippingHarness } from './support/timeSkipping';

/*
 * One-click unsubscribe end to end: marketing email sent by the real activity (and by a real journey)
 * to the SMTP server, its List-Unsubscribe link followed against the ingest server, the opt-out
 * published through the JourneyClient into MongoDB, and the engine reading it before its next send.
 */
describe('one-click unsubscribe', () => {
  let h: TimeSkippingHarness;
  let server: IngestServer;
  let activities: ReturnType<typeof createActivities>;
  const logged: string[] = [];

  before(async () => {
    h = await startTimeSkippingHarness('unsubscribe');
    activities = createActivities(h.servers.activityDeps);
    server = await IngestServer.start({
      publisher: h.clientWith(),
      tokens: ['ingest-token-not-used-by-unsubscribe'],
      unsubscribe: { verifier: h.servers.unsubscribeTokens, consents: h.clientWith() },
      log: (line) => logged.push(line),
    });
  });
  after(async () => {
    await server?.stop();
    await h?.close();
  });

  async function customer(): Promise<{ id: string; email: string }> {
    const id = uniqueId('cust');
    const email = `${id}@example.test`;
    await upsertProfile(h.servers.collections.profiles, id, { firstName: 'Ada', email }, new Date());
    return { id, email };
  }

  /** Sends through the sendEmail activity, as a journey step would, and returns what the SMTP server got. */
  async function sendEmail(
    customerId: string,
    to: string,
    purpose?: 'marketing' | 'transactional',
  ): Promise<CapturedEmail> {
    const entryEventId = uniqueId('evt');
    const context: DeliveryContext = {
      idempotencyKey: `test:${customerId}:${entryEventId}:mail`,
      customerId,
      playbookId: 'test',
      playbookVersion: 1,
      journeyId: `journey:test:${customerId}`,
      entryEventId,
      step: 'mail',
      arm: 'treatment',
    };
    const message = { subject: 'Hello', text: 'Hello', html: '<p>Hello</p>' };
    const result = await activities.sendEmail({ context, to, message, ...(purpose && { purpose }) });
    assert.equal(result.status, 'sent');
    return h.servers.smtp.waitFor((mail) => mail.idempotencyKey === context.idempotencyKey);
  }

  /** The URL of a List-Unsubscribe header, as a mailbox provider extracts it. */
  function linkOf(mail: CapturedEmail): URL {
    const match = /^<(https:[^>]+)>$/.exec(mail.listUnsubscribe ?? '');
    assert.ok(match?.[1], `no HTTPS List-Unsubscribe link in: ${mail.listUnsubscribe}`);
    return new URL(match[1]);
  }

  /** Follows a link on our ingest server (the public host is the test's stand-in for a proxy). */
  function follow(link: URL, init: RequestInit = {}): Promise<Response> {
    return fetch(new URL(`${link.pathname}${link.search}`, server.url), init);
  }
  const oneClick = (link: URL): Promise<Response> =>
    follow(link, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
  const withToken = (link: URL, token: string): URL => {
    const copy = new URL(link);
    copy.searchParams.set('token', token);
    return copy;
  };

  async function marketingConsent(customerId: string): Promise<boolean | undefined> {
    const profile = await h.servers.collections.profiles.findOne({ _id: customerId });
    return profile?.consents?.email?.marketing;
  }
  const optOutEvents = (customerId: string): Promise<number> =>
    h.servers.collections.events.countDocuments({ customerId, type: 'consent.updated' });

  it("a journey's marketing email unsubscribes its customer in one click, and the next send is suppressed", async () => {
    const { id, email } = await customer();
    const run = h.env.client.workflow.getHandle(journeyId('cart-abandonment', id));
    await h.clientWith().publishEvent(cartUpdated(id));
    assert.deepEqual(((await run.result()) as JourneyResult).outcome, { status: 'completed' });

    const [mail] = h.servers.smtp.messages.filter((m) => m.to.includes(email));
    assert.ok(mail, 'the journey sent its reminder');
    assert.equal(mail.listUnsubscribePost, 'List-Unsubscribe=One-Click');
    const link = linkOf(mail);
    assert.equal(`${link.origin}${link.pathname}`, `${TEST_UNSUBSCRIBE_BASE_URL}/unsubscribe`);
    // The same link, visible in the message for readers whose mail client shows no button.
    assert.ok(mail.text.includes(`Unsubscribe from these emails: ${link.href}`), mail.text);
    assert.ok(mail.html.includes(`<a href="${link.href.replace(/&/g, '&amp;')}">Unsubscribe</a>`), mail.html);
    assert.equal(await marketingConsent(id), undefined);

    // What Gmail or Yahoo send for a one-click unsubscribe (RFC 8058): no cookie, no bearer token.
    const response = await oneClick(link);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      status: 'unsubscribed',
      message: 'marketing email to this customer is stopped',
    });
    assert.equal(await marketingConsent(id), false, 'the profile in MongoDB records the opt-out');

    // A double click, or a provider retrying its POST, is the same event, not a second one.
    assert.equal((await oneClick(link)).status, 200);
    assert.equal(await optOutEvents(id), 1);

    // The next cart reminder reads the profile before sending: the opt-out holds.
    await h.clientWith().publishEvent(cartUpdated(id));
    const { decisions } = (await run.result()) as JourneyResult;
    assert.deepEqual(
      decisions.filter((d) => d.step === 'reminder').map((d) => [d.action, d.reason]),
      [['suppress', 'no-consent']],
    );
    assert.equal(h.servers.smtp.messages.filter((m) => m.to.includes(email)).length, 1);
  });

  it('an old link still unsubscribes after the customer opted in again, and the page says what the profile says', async () => {
    const { id, email } = await customer();
    const link = linkOf(await sendEmail(id, email, 'marketing'));
    assert.equal((await oneClick(link)).status, 200);
    assert.equal(await marketingConsent(id), false);

    // The customer opts in again, after the click: their sign-up form says so a second later.
    const profile = await h.servers.collections.profiles.findOne({ _id: id });
    const optedOutAt = profile?.consentsAt?.email?.marketing;
    assert.ok(optedOutAt instanceof Date);
    const optIn = await h.clientWith().publishEvent({
      type: 'consent.updated',
      eventId: uniqueId('evt-optin'),
      customerId: id,
      occurredAt: new Date(optedOutAt.getTime() + 1000).toISOString(),
      data: { channel: 'email', purpose: 'marketing', granted: true },
    });
    assert.equal(optIn.status, 'accepted');
    assert.equal(await marketingConsent(id), true);

    // The same old link, clicked from the browser's confirm page: it acts on the new opt-in.
    const page = await follow(link, {
      method: 'POST',
      headers: { Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<h1>You are unsubscribed<\/h1>/);
    assert.equal(await marketingConsent(id), false, 'the profile records the second opt-out');

    // A mail scanner POSTing it again changes nothing and records nothing more.
    const again = await oneClick(link);
    assert.deepEqual(await again.json(), {
      status: 'unsubscribed',
      message: 'marketing email to this customer is stopped',
    });
    assert.equal(await optOutEvents(id), 3, 'two opt-outs and the opt-in between them');
    assert.equal(await marketingConsent(id), false);
  });

  it('says "still subscribed", not "unsubscribed", when the profile does not show the opt-out', async () => {
    const { id, email } = await customer();
    const link = linkOf(await sendEmail(id, email, 'marketing'));
    // A profile that a newer opt-in keeps overwriting: every read answers opted in.
    const stubborn = await IngestServer.start({
      publisher: h.clientWith(),
      tokens: ['t'],
      unsubscribe: {
        verifier: h.servers.unsubscribeTokens,
        consents: { consentOf: () => Promise.resolve({ granted: true, changedAt: new Date() }) },
      },
      log: () => {},
    });
    try {
      const response = await fetch(new URL(`${link.pathname}${link.search}`, stubborn.url), {
        method: 'POST',
        headers: { Accept: 'text/html' },
        body: 'List-Unsubscribe=One-Click',
      });
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('retry-after'), '5');
      assert.match(
        await response.text(),
        /<h1>You are still subscribed<\/h1>[\s\S]*Please use the link again/,
      );
    } finally {
      await stubborn.stop();
    }
  });

  it('refuses forged tokens with 403 and changes nothing', async () => {
    const victim = await customer();
    const holder = await customer();
    const link = linkOf(await sendEmail(holder.id, holder.email, 'marketing'));
    const token = link.searchParams.get('token') ?? '';
    const [payload = '', signature = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
    claims[1] = victim.id;
    const forgeries = {
      'customer ID swapped, signature kept': `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`,
      'signed with another secret': new UnsubscribeTokens(['an-attackers-own-secret-0123456789abcdef']).sign(
        victim.id,
        new Date(),
      ),
      truncated: token.slice(0, -6),
      'no signature': payload,
    };
    for (const [name, forged] of Object.entries(forgeries)) {
      const response = await oneClick(withToken(link, forged));
      assert.equal(response.status, 403, name);
      const body = (await response.json()) as { error: string; reason: string; message: string };
      assert.equal(body.error, 'invalid_token', name);
      assert.match(body.message, /not valid.*Nothing was changed/, name);
    }
    const missing = await follow(new URL('/unsubscribe', link), {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(missing.status, 403);

    // A person following a forged link in a browser gets a page, not JSON.
    const page = await follow(withToken(link, forgeries.truncated), { headers: { Accept: 'text/html' } });
    assert.equal(page.status, 403);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /<h1>Invalid unsubscribe link<\/h1>/);

    for (const { id } of [victim, holder]) {
      assert.equal(await marketingConsent(id), undefined);
      assert.equal(await optOutEvents(id), 0);
    }
    assert.deepEqual(logged, []);
  });

  it('a GET only shows a confirm button: link scanners unsubscribe nobody', async () => {
    const { id, email } = await customer();
    const link = linkOf(await sendEmail(id, email, 'marketing'));

    for (const accept of ['text/html,application/xhtml+xml', '*/*']) {
      const response = await follow(link, { headers: { Accept: accept } });
      assert.equal(response.status, 200);
      await response.text();
    }
    assert.equal((await follow(link, { method: 'HEAD' })).status, 200);
    assert.equal(await marketingConsent(id), undefined);
    assert.equal(await optOutEvents(id), 0);

    const page = await follow(link, { headers: { Accept: 'text/html' } });
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    const html = await page.text();
    const form = /<form method="post" action="([^"]+)">/.exec(html);
    assert.ok(form?.[1], 'the page has a form that POSTs');
    assert.match(html, /<input type="hidden" name="List-Unsubscribe" value="One-Click">/);

    // The button submits the form; here as multipart/form-data, the encoding RFC 8058 prefers.
    const body = new FormData();
    body.set('List-Unsubscribe', 'One-Click');
    const action = new URL(
      form[1].replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
      link,
    );
    const confirmed = await follow(action, { method: 'POST', body, headers: { Accept: 'text/html' } });
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /<h1>You are unsubscribed<\/h1>/);
    assert.equal(await marketingConsent(id), false);
  });

  it('transactional email, and email sent without a purpose, carry no unsubscribe link', async () => {
    const { id, email } = await customer();
    const transactional = await sendEmail(id, email, 'transactional');
    assert.equal(transactional.listUnsubscribe, undefined);
    assert.equal(transactional.listUnsubscribePost, undefined);
    assert.ok(!transactional.text.includes('Unsubscribe'), 'no footer on a transactional message');
    // A send scheduled by a run recorded before purposes reached the activity.
    const unlabelled = await sendEmail(id, email);
    assert.equal(unlabelled.listUnsubscribe, undefined);
    const marketing = await sendEmail(id, email, 'marketing');
    assert.ok(marketing.listUnsubscribe);
  });

  it('a server without a verifier has no /unsubscribe', async () => {
    const plain = await IngestServer.start({ publisher: h.clientWith(), tokens: ['t'] });
    try {
      const { id, email } = await customer();
      const link = linkOf(await sendEmail(id, email, 'marketing'));
      const response = await fetch(new URL(`${link.pathname}${link.search}`, plain.url), { method: 'POST' });
      assert.equal(response.status, 404);
      assert.equal(await marketingConsent(id), undefined);
    } finally {
      await plain.stop();
    }
  });
});
