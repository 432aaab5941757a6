import type { TokenRefusal } from '../../activities/unsubscribe/unsubscribeToken';

/** What the unsubscribe endpoint answers; the server writes it. */
export interface PageReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type UnsubscribeOutcome =
  | { kind: 'confirm'; token: string }
  | { kind: 'unsubscribed' }
  | { kind: 'refused'; reason: TokenRefusal }
  /** The opt-out could not be recorded now (MongoDB or Temporal down); retrying is safe. */
  | { kind: 'unavailable' }
  /** The opt-out was refused by validation: a bug on our side, logged by the caller. */
  | { kind: 'failed' }
  /** Opt-outs were recorded, yet the profile still says opted in (a newer opt-in kept landing). */
  | { kind: 'stillSubscribed' }
  | { kind: 'methodNotAllowed'; method: string };

interface Page {
  status: number;
  title: string;
  message: string;
  /** The JSON form of the page, for mailbox providers and scripts. */
  json: Record<string, string>;
  headers?: Record<string, string>;
  /** The confirm form's token; present only on the confirm page. */
  formToken?: string;
}

const KEPT = 'Messages about your orders and account still arrive.';

function page(outcome: UnsubscribeOutcome): Page {
  switch (outcome.kind) {
    case 'confirm':
      return {
        status: 200,
        title: 'Unsubscribe from marketing email?',
        message: `You will no longer receive offers and reminders by email. ${KEPT}`,
        json: {
          status: 'confirm',
          message:
            'nothing was changed: a GET never unsubscribes; POST to this URL with the body ' +
            'List-Unsubscribe=One-Click (RFC 8058) to unsubscribe',
        },
        formToken: outcome.token,
      };
    case 'unsubscribed':
      return {
        status: 200,
        title: 'You are unsubscribed',
        message: `You will no longer receive marketing email from us. ${KEPT}`,
        json: { status: 'unsubscribed', message: 'marketing email to this customer is stopped' },
      };
    case 'refused': {
      const message =
        'This unsubscribe link is not valid: it is incomplete or was altered. Nothing was changed. ' +
        'Use the link exactly as it arrived in the email.';
      return {
        status: 403,
        title: 'Invalid unsubscribe link',
        message,
        json: { error: 'invalid_token', reason: outcome.reason, message },
      };
    }
    case 'unavailable': {
      const message = 'Your request could not be recorded just now. Please try again in a moment.';
      return {
        status: 503,
        title: 'Please try again',
        message,
        json: { error: 'unavailable', message: `${message} Retrying is safe.` },
        headers: { 'Retry-After': '5' },
      };
    }
    case 'stillSubscribed': {
      const message =
        'You are still subscribed: your request arrived, but a change to your subscription made at ' +
        'the same moment kept it from taking effect. Please use the link again.';
      return {
        status: 503,
        title: 'You are still subscribed',
        message,
        json: { error: 'still_subscribed', message },
        headers: { 'Retry-After': '5' },
      };
    }
    case 'failed': {
      const message = 'Your request could not be recorded because of an error on our side; it was logged.';
      return { status: 500, title: 'Something went wrong', message, json: { error: 'internal', message } };
    }
    case 'methodNotAllowed': {
      const message = `${outcome.method} is not allowed on /unsubscribe; use GET to see the page or POST to unsubscribe`;
      return {
        status: 405,
        title: 'Method not allowed',
        message,
        json: { error: 'method_not_allowed', message },
        headers: { Allow: 'GET, HEAD, POST' },
      };
    }
  }
}

/**
 * HTML for people (the browser asks for text/html), JSON for everyone else: mailbox providers
 * POSTing a one-click unsubscribe read only the status.
 */
export function unsubscribeReply(outcome: UnsubscribeOutcome, html: boolean): PageReply {
  const p = page(outcome);
  if (!html) {
    const headers = { 'Content-Type': 'application/json; charset=utf-8', ...p.headers };
    return { status: p.status, headers, body: JSON.stringify(p.json) };
  }
  return {
    status: p.status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      // No scripts, no framing (the button must not be clickjacked), forms only to ourselves, and
      // no Referer: the page's URL holds the token.
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      ...p.headers,
    },
    body: document(p),
  };
}

function document(p: Page): string {
  // The form posts back to this path with the same token: relative, so it works behind a proxy prefix.
  const form =
    p.formToken === undefined
      ? ''
      : `<form method="post" action="?token=${escapeHtml(encodeURIComponent(p.formToken))}">` +
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">' +
        '<button type="submit">Unsubscribe</button></form>';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(p.title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}' +
      'button{font-size:1rem;padding:.5rem 1.5rem}</style>',
    '</head><body>',
    `<h1>${escapeHtml(p.title)}</h1>`,
    `<p>${escapeHtml(p.message)}</p>`,
    form,
    '</body></html>',
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
