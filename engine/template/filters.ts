/*
 * Value formatting for templates. Never throws: a message with a blank where a bad value was is
 * better than a journey stuck on a rendering error in the middle of a run.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/**
 * Date.parse alone reads "cart-1" as a date in 2001 and a time without an offset in the worker's
 * zone: only ISO 8601 text counts, and a missing offset means UTC.
 */
function parseIsoUtc(text: string): number {
  const match = ISO_DATE.exec(text);
  if (!match) return NaN;
  const hasTimeWithoutZone = match[1] !== undefined && match[4] === undefined;
  return Date.parse(text.replace(' ', 'T') + (hasTimeWithoutZone ? 'Z' : ''));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** How an inserted value reads: lists joined with commas; objects and missing values as nothing. */
export function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return value
      .map(stringify)
      .filter((item) => item !== '')
      .join(', ');
  return '';
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** `19.5` in EUR → `€19.50`; without a usable currency the bare amount with two decimals. */
export function money(value: unknown, currency: unknown): string {
  const amount = toNumber(value);
  if (amount === undefined) return '';
  if (typeof currency === 'string' && /^[A-Za-z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).format(
        amount,
      );
    } catch {
      // An unknown code falls through to the bare amount.
    }
  }
  return amount.toFixed(2);
}

/**
 * An ISO timestamp or date → `21 Nov 2026`, in UTC. Spelled out by hand: Intl's month names vary
 * between ICU versions ("Sep" vs "Sept"), and a replayed workflow must render the same text.
 */
export function date(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return '';
  const time = typeof value === 'number' ? value : parseIsoUtc(value);
  if (!Number.isFinite(time)) return stringify(value);
  const at = new Date(time);
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()] ?? ''} ${at.getUTCFullYear()}`;
}
