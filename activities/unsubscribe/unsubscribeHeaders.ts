import type { UnsubscribeSigner } from './unsubscribeToken';

/** Where the ingest server answers unsubscribe links, relative to UNSUBSCRIBE_BASE_URL. */
export const UNSUBSCRIBE_PATH = '/unsubscribe';

/** RFC 8058: the one key/value pair a mailbox provider POSTs to unsubscribe in one click. */
export const ONE_CLICK = 'List-Unsubscribe=One-Click';

/** What a sender needs to put an unsubscribe link into a message. */
export interface UnsubscribeLinks {
  signer: UnsubscribeSigner;
  /** Public URL of the ingest server (`UNSUBSCRIBE_BASE_URL`), without the path of the endpoint. */
  baseUrl: string;
}

export interface UnsubscribeLink {
  url: string;
  /**
   * RFC 2369 List-Unsubscribe with an HTTPS URI (HTTP only on a loopback host, in development:
   * schemas/env.ts refuses anything else for UNSUBSCRIBE_BASE_URL), plus RFC 8058's
   * List-Unsubscribe-Post, which tells mailbox providers that a POST unsubscribes at once; without
   * it they may only open the URL, and a GET deliberately does nothing (link scanners prefetch).
   */
  headers: { 'List-Unsubscribe': string; 'List-Unsubscribe-Post': typeof ONE_CLICK };
}

export function unsubscribeLink(
  links: UnsubscribeLinks,
  customerId: string,
  issuedAt: Date,
): UnsubscribeLink {
  const url = unsubscribeUrl(links.baseUrl, links.signer.sign(customerId, issuedAt));
  return { url, headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': ONE_CLICK } };
}

/** The endpoint under the base URL's path, so a server behind a path prefix (`…/mail/`) works too. */
export function unsubscribeUrl(baseUrl: string, token: string): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${UNSUBSCRIBE_PATH}`;
  url.search = new URLSearchParams({ token }).toString();
  url.hash = '';
  return url.toString();
}
