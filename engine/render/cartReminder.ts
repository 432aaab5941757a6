import type { CartSnapshot } from '../cartJourney';
import { escapeHtml } from './escape';

export interface CartReminderContent {
  firstName?: string;
  cart: CartSnapshot;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

function money(amount: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount);
}

function cartTotal(cart: CartSnapshot): number {
  return cart.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
}

export function renderCartReminderEmail({ firstName, cart }: CartReminderContent): RenderedEmail {
  const greeting = firstName ? `Hi ${firstName},` : 'Hi,';
  const count = cart.items.reduce((sum, item) => sum + item.quantity, 0);
  const subject = `You left ${count} item${count === 1 ? '' : 's'} in your cart`;
  const lines = cart.items.map(
    (item) =>
      `- ${item.quantity} × ${item.name} (${item.sku}): ${money(item.unitPrice * item.quantity, cart.currency)}`,
  );
  const total = money(cartTotal(cart), cart.currency);
  const text = [
    greeting,
    '',
    'Your cart is waiting for you:',
    ...lines,
    '',
    `Total: ${total}`,
    ...(cart.cartUrl ? ['', `Complete your order: ${cart.cartUrl}`] : []),
  ].join('\n');

  const rows = cart.items
    .map(
      (item) =>
        `<tr><td>${item.quantity} × ${escapeHtml(item.name)}</td><td>${escapeHtml(item.sku)}</td>` +
        `<td>${escapeHtml(money(item.unitPrice * item.quantity, cart.currency))}</td></tr>`,
    )
    .join('');
  const html =
    `<p>${escapeHtml(greeting)}</p><p>Your cart is waiting for you:</p>` +
    `<table>${rows}</table><p>Total: ${escapeHtml(total)}</p>` +
    (cart.cartUrl ? `<p><a href="${escapeHtml(cart.cartUrl)}">Complete your order</a></p>` : '');
  return { subject, text, html };
}

export function renderCartReminderSms({ firstName, cart }: CartReminderContent): string {
  const first = cart.items[0]?.name ?? 'your items';
  const more = cart.items.length > 1 ? ` and ${cart.items.length - 1} more` : '';
  const link = cart.cartUrl ? ` ${cart.cartUrl}` : '';
  return `${firstName ? `${firstName}, y` : 'Y'}our cart with ${first}${more} is waiting.${link}`;
}
