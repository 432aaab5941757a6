import { randomBytes } from 'node:crypto';

export interface StoredSms {
  /** 'SM' + 32 hex chars, like Twilio. */
  sid: string;
  accountSid: string;
  to: string;
  /** From, or MessagingServiceSid when no From was sent. */
  from: string;
  body: string;
  /** Twilio's state right after accepting a send; we never advance it. */
  status: 'queued';
  /** RFC 2822, as Twilio formats it: 'Sat, 21 Nov 2026 04:44:02 +0000'. */
  dateCreated: string;
  /** When it was stored, to the millisecond (dateCreated has Twilio's whole seconds). */
  acceptedAt: Date;
  statusCallback?: string;
}

/** Twilio's legacy error body, the shape the SDK's RestException parses. */
export interface TwilioError {
  status: number;
  code: number;
  message: string;
}

export function errorBody(error: TwilioError): string {
  const { code, message, status } = error;
  return JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

export const apiVersion = '2010-04-01';
const e164 = /^\+[1-9]\d{1,14}$/;
const maxBodyLength = 1600;

export function validateCreate(form: URLSearchParams): TwilioError | undefined {
  const to = form.get('To');
  const bad = (code: number, message: string): TwilioError => ({ status: 400, code, message });
  if (!to) return bad(21604, "A 'To' phone number is required.");
  if (!e164.test(to)) return bad(21211, `The 'To' number ${to} is not a valid phone number.`);
  if (!form.get('From') && !form.get('MessagingServiceSid')) {
    return bad(21603, "A 'From' phone number is required.");
  }
  const body = form.get('Body') ?? '';
  if (!body && form.getAll('MediaUrl').length === 0) return bad(21602, 'Message body is required.');
  if (body.length > maxBodyLength) {
    return bad(21617, `The concatenated message body exceeds the ${maxBodyLength} character limit.`);
  }
  return undefined;
}

/** Builds the stored record from a form that validateCreate accepted. */
export function newMessage(accountSid: string, form: URLSearchParams): StoredSms {
  const statusCallback = form.get('StatusCallback');
  const acceptedAt = new Date();
  return {
    sid: `SM${randomBytes(16).toString('hex')}`,
    accountSid,
    to: form.get('To') ?? '',
    from: form.get('From') || (form.get('MessagingServiceSid') ?? ''),
    body: form.get('Body') ?? '',
    status: 'queued',
    dateCreated: acceptedAt.toUTCString().replace('GMT', '+0000'),
    acceptedAt,
    ...(statusCallback ? { statusCallback } : {}),
  };
}

// Approximates the GSM-7 basic alphabet; anything outside it forces UCS-2 and shorter segments.
const gsm7 = /^[A-Za-z0-9 \r\n@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà^{}\\[~\]|€]*$/;

function segments(body: string): number {
  const [single, multi] = gsm7.test(body) ? [160, 153] : [70, 67];
  return body.length <= single ? 1 : Math.ceil(body.length / multi);
}

/** The JSON message resource Twilio returns from create and fetch (snake_case, string counts). */
export function messageResource(sms: StoredSms): Record<string, unknown> {
  const uri = `/${apiVersion}/Accounts/${sms.accountSid}/Messages/${sms.sid}`;
  // StoredSms keeps From and MessagingServiceSid in one field; Twilio reports them apart.
  const viaService = sms.from.startsWith('MG');
  return {
    sid: sms.sid,
    account_sid: sms.accountSid,
    to: sms.to,
    from: viaService ? null : sms.from,
    messaging_service_sid: viaService ? sms.from : null,
    body: sms.body,
    status: sms.status,
    date_created: sms.dateCreated,
    date_updated: sms.dateCreated,
    date_sent: null,
    direction: 'outbound-api',
    num_segments: String(segments(sms.body)),
    num_media: '0',
    price: null,
    price_unit: 'USD',
    error_code: null,
    error_message: null,
    api_version: apiVersion,
    uri: `${uri}.json`,
    subresource_uris: { media: `${uri}/Media.json` },
  };
}
