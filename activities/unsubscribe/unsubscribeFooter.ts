import type { EmailMessage } from '../../engine/template/message';
import { escapeHtml } from '../../engine/render/escape';

/**
 * A visible unsubscribe link at the foot of a marketing email. The List-Unsubscribe headers serve
 * mailbox providers' own buttons; the law (CAN-SPAM, the EU's ePrivacy rules) and readers whose
 * client shows no such button need a link in the message itself. Same URL, same token.
 */
export function withUnsubscribeFooter(message: EmailMessage, url: string): EmailMessage {
  return {
    ...message,
    text: `${message.text}\n\n--\nUnsubscribe from these emails: ${url}\n`,
    html:
      `${message.html}\n<hr>\n<p style="font-size:12px;color:#666">` +
      `<a href="${escapeHtml(url)}">Unsubscribe</a> from these emails.</p>\n`,
  };
}
