import type { TimelineItem } from './explainTimeline';

/*
 * The human form of `journeys explain`: a header, then one aligned line per item:
 * time, kind, playbook, what happened, step, channel, details as key=value. `-` marks an empty cell.
 */

export interface Totals {
  entries: number;
  decisions: number;
  deliveries: number;
}

export function explainHeader(customerId: string, totals: Totals, shown: number): string {
  const all = totals.entries + totals.decisions + totals.deliveries;
  const counts = [
    count(totals.entries, 'entry', 'entries'),
    count(totals.decisions, 'decision', 'decisions'),
    count(totals.deliveries, 'delivery', 'deliveries'),
  ].join(', ');
  const cut = shown < all ? `; the latest ${shown} of ${all} shown (--limit N for more)` : '';
  return `customer ${customerId}: ${counts}${cut}`;
}

export function nothingRecorded(customerId: string): string {
  return `no entries, decisions or deliveries recorded for customer ${customerId}`;
}

export function formatTimeline(items: readonly TimelineItem[]): string[] {
  const rows = items.map(cells);
  const widths = rows.reduce<number[]>(
    (max, row) => row.slice(0, -1).map((cell, i) => Math.max(max[i] ?? 0, cell.length)),
    [],
  );
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
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
          ['rule', item.rule],
          ['count', item.count],
          ['winner', item.winner],
          ['offer', item.offerId],
        ]),
      ];
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
        ]),
      ];
  }
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
