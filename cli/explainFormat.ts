import { money, percent } from '../engine/offers/format';
import type { OfferItem, TimelineItem } from './explainTimeline';

/*
 * The human form of `journeys explain`: a header, then one aligned line per item:
 * time, kind, playbook, what happened, step, channel, details as key=value. `-` marks an empty cell.
 * An offer's details are a sentence instead (offer, score, how it won), and its reasons and
 * rejections follow on indented lines: they are the answer to "why this offer?".
 */

export interface Totals {
  entries: number;
  decisions: number;
  /** Left out of the header when the caller did not count grants, rather than claiming none. */
  offers?: number;
  deliveries: number;
}

export function explainHeader(customerId: string, totals: Totals, shown: number): string {
  const all = totals.entries + totals.decisions + (totals.offers ?? 0) + totals.deliveries;
  const counts = [
    count(totals.entries, 'entry', 'entries'),
    count(totals.decisions, 'decision', 'decisions'),
    ...(totals.offers === undefined ? [] : [count(totals.offers, 'offer', 'offers')]),
    count(totals.deliveries, 'delivery', 'deliveries'),
  ].join(', ');
  const cut = shown < all ? `; the latest ${shown} of ${all} shown (--limit N for more)` : '';
  return `customer ${customerId}: ${counts}${cut}`;
}

export function nothingRecorded(customerId: string): string {
  return `no entries, decisions, offers or deliveries recorded for customer ${customerId}`;
}

/** One line per item, aligned across items; an offer's reason and rejection lines follow its own. */
export function formatTimeline(items: readonly TimelineItem[]): string[] {
  const rows = items.map(cells);
  const widths = rows.reduce<number[]>(
    (max, row) => row.slice(0, -1).map((cell, i) => Math.max(max[i] ?? 0, cell.length)),
    [],
  );
  return items.flatMap((item, i) => {
    const line = (rows[i] ?? [])
      .map((cell, j) => cell.padEnd(widths[j] ?? 0))
      .join('  ')
      .trimEnd();
    return item.kind === 'offer' ? [line, ...offerNotes(item)] : [line];
  });
}

function cells(item: TimelineItem): string[] {
  const base = [item.at, item.kind, item.playbookId];
  switch (item.kind) {
    case 'entry':
      return [
        ...base,
        item.arm,
        '-',
        '-',
        details([
          ['version', item.playbookLabel],
          ['key', item.keyValue],
          ['run', item.journeyId],
          ['event', item.entryEventId],
        ]),
      ];
    case 'decision':
      return [
        ...base,
        item.action,
        item.step ?? '-',
        item.channel ?? '-',
        details([
          ['reason', item.reason],
          ['by', item.by],
          ['rule', item.rule],
          ['count', item.count],
          ['winner', item.winner],
          ['offer', item.offerId],
        ]),
      ];
    case 'offer':
      return [...base, 'decide', item.step, '-', offerSummary(item)];
    case 'delivery':
      return [
        ...base,
        item.status,
        item.step,
        item.channel ?? '-',
        details([
          ['to', item.to],
          ['reason', item.reason],
          ['attempts', item.attempts],
          ['provider-id', item.providerMessageId],
          ['offer', item.offer?.offerId],
        ]),
      ];
  }
}

/**
 * `own-fair "10% off" (discount) EV 1.23 = 4.1% × 30.00, best of 3 eligible of 5 [control]`: the
 * numbers read as the stored reasons write them. `[control]` because a control customer was shown
 * nothing; the offer is what they would have got.
 */
function offerSummary(item: OfferItem): string {
  const offer = `${item.offerId} ${JSON.stringify(item.title)} (${item.offerKind})`;
  const scores = item.scores;
  const score =
    scores === undefined
      ? ''
      : ` EV ${money(scores.expectedValue)} = ${percent(scores.engagement)} × ${money(scores.value)}, ` +
        `${scores.explored ? 'explored among' : 'best of'} ${scores.eligible} eligible of ${scores.considered}`;
  return `${offer}${score}${item.arm === 'control' ? ' [control]' : ''}`;
}

/** The stored reasons, one per line, then what was turned down and why (when anything was). */
function offerNotes(item: OfferItem): string[] {
  const rejected = Object.entries(item.rejected).map(([rule, n]) => `${rule} ${n}`);
  return [
    ...item.reasons.map((reason) => `    - ${reason}`),
    ...(rejected.length === 0 ? [] : [`    rejected: ${rejected.join(', ')}`]),
  ];
}

/** `key=value` for each present value; values with spaces, quotes or `=` are JSON-quoted. */
function details(pairs: readonly (readonly [string, string | number | undefined])[]): string {
  return pairs
    .filter((pair): pair is readonly [string, string | number] => pair[1] !== undefined)
    .map(([key, value]) => `${key}=${quote(String(value))}`)
    .join(' ');
}

function quote(value: string): string {
  return /^[^\s"'=]+$/.test(value) ? value : JSON.stringify(value);
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
