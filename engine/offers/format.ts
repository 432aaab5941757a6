/*
 * How numbers read in an offer decision's reasons: the CRM team reads them in the explain view and
 * in the stored grant, so they are plain (120.00, 31.2%, 2026-12-31), never raw floats.
 */

export const money = (amount: number): string => amount.toFixed(2);

/** A share (0–1) as a percentage with one decimal: 0.3124 → 31.2%. */
export const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/** An instant as its UTC date, with the time only when it is not midnight. */
export function day(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export const list = (items: readonly string[]): string => items.join(', ');

/** Rounds for storage: cents for money, enough digits for a probability; never NaN or ∞ in JSON. */
export const round = (value: number, digits: number): number => {
  const factor = 10 ** digits;
  return Number.isFinite(value) ? Math.round(value * factor) / factor : 0;
};
