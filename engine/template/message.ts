import type { Template } from '../../schemas/playbook/schema';
import { renderTemplate, type TemplateContext } from './render';

/** A rendered email: what the template yields and the send activity hands to the provider. */
export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

export interface RenderedMessage {
  /** Present when the template has a subject and a text body. */
  email?: EmailMessage;
  sms?: string;
}

/**
 * Renders a playbook template for both channels. The HTML body defaults to the text with line
 * breaks, escaped, so an author may write text only.
 */
export function renderMessage(template: Template, context: TemplateContext): RenderedMessage {
  const out: RenderedMessage = {};
  if (template.subject !== undefined && template.text !== undefined) {
    const text = renderTemplate(template.text, context, { escape: 'none' }).trim();
    const html =
      template.html !== undefined
        ? renderTemplate(template.html, context, { escape: 'html' })
        : renderTemplate(template.text, context, { escape: 'html' }).trim().replace(/\n/g, '<br>\n');
    out.email = { subject: renderTemplate(template.subject, context, { escape: 'none' }).trim(), text, html };
  }
  if (template.sms !== undefined) out.sms = renderTemplate(template.sms, context, { escape: 'none' }).trim();
  return out;
}
