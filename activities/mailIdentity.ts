import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';
import addressparser from 'nodemailer/lib/addressparser';

/*
 * The headers that say who a message is from beyond From itself: Message-ID and List-Id. Both end
 * in the From address's domain, as receivers expect (a Message-ID from another domain, or none
 * with a list's headers, is scored as spam: SpamAssassin, Gmail's sender guidelines).
 */

/**
 * The domain of MAIL_FROM's address, in ASCII (an internationalised domain as punycode). Parsed with
 * nodemailer's own address parser, the one that writes the From header, so both agree on it.
 */
export function fromDomain(from: string): string {
  const [first] = addressparser(from, { flatten: true });
  const at = first?.address.lastIndexOf('@') ?? -1;
  const domain = at < 0 ? '' : domainToASCII(first?.address.slice(at + 1) ?? '').toLowerCase();
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(domain)) {
    throw new Error(
      `MAIL_FROM is "${from}": expected a sender address with a domain, such as "Shop <news@shop.example>"; ` +
        'its domain ends the Message-ID and List-Id of every email',
    );
  }
  return domain;
}

/**
 * Same key, same Message-ID: a copy sent again after a crash (docs/delivery-guarantees.md) goes
 * under the Message-ID of the first, so a receiver can drop it. It changes only if MAIL_FROM's
 * domain does.
 */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@${domain}>`;
}

/**
 * RFC 2919 List-Id: each playbook is a list (`<cart-abandonment.shop.example>`), so a reader can
 * filter one journey's mail and a receiver can tell the streams apart. Playbook IDs are lowercase
 * letters, digits and dashes, all valid in the label; anything else (an ID written by a test or an
 * older run) becomes a dash, since the header only has to be stable, not reversible.
 */
export function listIdFor(playbookId: string, domain: string): string {
  const label = playbookId.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'journeys';
  return `<${label}.${domain}>`;
}
