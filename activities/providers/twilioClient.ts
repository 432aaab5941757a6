import twilio from 'twilio';
import type { Twilio } from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** Send every request meant for https://*.twilio.com here instead, keeping path and query. */
  apiBaseUrl?: string;
  timeoutMs?: number;
}

function isTwilioHost(url: URL): boolean {
  return url.protocol === 'https:' && (url.hostname === 'twilio.com' || url.hostname.endsWith('.twilio.com'));
}

/**
 * Subclassing the SDK's own RequestClient (rather than faking the client) keeps the SDK's request
 * building, Basic auth, timeouts and RestException parsing in play; only the destination changes.
 */
class RedirectingRequestClient extends twilio.RequestClient {
  constructor(
    private readonly apiBase: URL,
    options: RequestClient.RequestClientOptions,
  ) {
    super(options);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const target = new URL(opts.uri);
    if (!isTwilioHost(target)) return super.request(opts);
    const basePath = this.apiBase.pathname.replace(/\/+$/, '');
    const uri = `${this.apiBase.origin}${basePath}${target.pathname}${target.search}`;
    return super.request({ ...opts, uri });
  }
}

export function createTwilioClient(options: TwilioClientOptions): Twilio {
  const { accountSid, authToken, apiBaseUrl, timeoutMs } = options;
  const timeout = timeoutMs === undefined ? {} : { timeout: timeoutMs };
  if (apiBaseUrl === undefined) return twilio(accountSid, authToken, timeout);
  // The SDK only applies its `timeout` option to the RequestClient it builds itself, so a supplied
  // httpClient has to be given the timeout directly.
  const httpClient = new RedirectingRequestClient(new URL(apiBaseUrl), timeout);
  return twilio(accountSid, authToken, { ...timeout, httpClient });
}
