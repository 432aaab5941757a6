import { isValue, type Estimate, type LiftStats } from '../measure/lift';
import type { PlaybookLiftData } from '../store/liftData';

/*
 * How `journeys report lift` prints one playbook: a table per arm, then the comparison. Numbers
 * that cannot be computed print `n/a` with the reason; numbers that need data we do not record yet
 * say so, rather than a made-up zero.
 */

export const NOT_RECORDED = 'n/a (offers not recorded yet)';

const count = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const money = (n: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const rate = (n: number) => `${(n * 100).toFixed(2)}%`;
const signed = (text: string, n: number) => (n > 0 ? `+${text}` : text);
const signedPercent = (n: number) => signed(`${(n * 100).toFixed(1)}%`, n);
const signedMoney = (n: number) => signed(money(n), n);
const signedCount = (n: number) => signed(n.toFixed(1), n);

/** The estimate, then its 95% interval when it has one; `n/a (reason)` when it cannot be computed. */
export function formatEstimate(estimate: Estimate, format: (n: number) => string): string {
  if (!isValue(estimate)) return `n/a (${estimate.na})`;
  const { interval } = estimate;
  return interval
    ? `${format(estimate.value)} [95% CI ${format(interval.low)}, ${format(interval.high)}]`
    : format(estimate.value);
}

export function formatPValue(p: Estimate): string {
  if (!isValue(p)) return `n/a (${p.na})`;
  return p.value < 0.001 ? '< 0.001' : p.value.toFixed(3);
}

const arms = ['treatment', 'control'] as const;

export function formatLift(data: PlaybookLiftData, stats: LiftStats): string[] {
  const label = (text: string) => `  ${text.padEnd(26)}`;
  const row = (text: string, cells: [string, string]) =>
    `${label(text)}${cells.map((cell) => cell.padStart(14)).join('')}`;
  const perArm = (f: (arm: (typeof arms)[number]) => string): [string, string] => [
    f('treatment'),
    f('control'),
  ];
  const estimate = (e: Estimate, format: (n: number) => string) => (isValue(e) ? format(e.value) : 'n/a');
  const success =
    'success' in data
      ? `success: ${data.success.metric.event}${data.success.metric.where || data.success.metric.matchTriggerOn ? ' (filtered)' : ''} within ${data.success.window} of entry`
      : `n/a (${data.na})`;
  const lines = [
    `${data.playbookId} — ${success}`,
    row('', ['treatment', 'control']),
    row(
      'customers',
      perArm((arm) => count(data.arms[arm].customers)),
    ),
    row(
      'conversions',
      perArm((arm) => count(data.arms[arm].conversions)),
    ),
    row(
      'conversion rate',
      perArm((arm) => estimate(stats[arm].conversionRate, rate)),
    ),
    row(
      'revenue per customer',
      perArm((arm) => estimate(stats[arm].revenuePerCustomer, money)),
    ),
    row(
      'unsubscribe rate',
      perArm((arm) =>
        data.arms[arm].customers > 0 ? rate(data.arms[arm].unsubscribes / data.arms[arm].customers) : 'n/a',
      ),
    ),
    `${label('incremental conversions')}${formatEstimate(stats.incrementalConversions, signedCount)}`,
    `${label('incremental revenue')}${formatEstimate(stats.incrementalRevenue, signedMoney)}`,
    `${label('conversion lift')}${formatEstimate(stats.conversionLift, signedPercent)}`,
    `${label('p-value')}${formatPValue(stats.pValue)}`,
    `${label('revenue per customer lift')}${formatEstimate(stats.revenuePerCustomerLift, signedMoney)}${
      isValue(stats.relativeRevenueLift) ? ` (${signedPercent(stats.relativeRevenueLift.value)})` : ''
    }`,
    `${label('discount cost')}${NOT_RECORDED}`,
    `${label('margin after discount')}${NOT_RECORDED}`,
    `${label('partner revenue')}${NOT_RECORDED}`,
    `${label('verdict')}${stats.verdict === 'n/a' ? `n/a (${isValue(stats.pValue) ? 'no comparison' : stats.pValue.na})` : stats.verdict}`,
  ];
  if ('currencies' in data && data.currencies.length > 1)
    lines.push(`  note: revenue adds up totals in ${data.currencies.join(', ')} without conversion`);
  return lines;
}
