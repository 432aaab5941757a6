import { isComputed, type EconomicsReport, type EconomicsStats } from '../engine/measurement/economicsStats';
import { isValue, type Estimate, type LiftStats } from '../engine/measurement/lift';
import type { PlaybookLiftData } from '../engine/measurement/liftTally';

/*
 * How `journeys report lift` prints one playbook: a table per arm, then the comparison. Numbers
 * that cannot be computed print `n/a` with the reason: on the line itself in the comparison, and
 * in a note below the table for an offer figure whose cell is too narrow to say why.
 */

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
type Arm = (typeof arms)[number];

export function formatLift(data: PlaybookLiftData, stats: LiftStats, economics: EconomicsReport): string[] {
  const label = (text: string) => `  ${text.padEnd(26)}`;
  const row = (text: string, cells: [string, string]) =>
    `${label(text)}${cells.map((cell) => cell.padStart(14)).join('')}`;
  const perArm = (f: (arm: (typeof arms)[number]) => string): [string, string] => [
    f('treatment'),
    f('control'),
  ];
  const estimate = (e: Estimate, format: (n: number) => string) => (isValue(e) ? format(e.value) : 'n/a');
  // Without economics at all (no success window) every cell is n/a and the lines below say why.
  const computed = isComputed(economics) ? economics : undefined;
  const uncomputed = isComputed(economics) ? '' : `n/a (${economics.discountCost.na})`;
  const notes = new Set<string>();
  const offerRow = (
    text: string,
    figure: (stats: EconomicsStats, arm: Arm) => Estimate | number,
    format: (n: number) => string = money,
  ) =>
    row(
      text,
      perArm((arm) => {
        if (!computed) return 'n/a';
        const value = figure(computed, arm);
        if (typeof value === 'number') return format(value);
        if (!isValue(value)) notes.add(`  note: ${text} is n/a for ${arm}: ${value.na}`);
        return estimate(value, format);
      }),
    );
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
    offerRow('discount cost', (e, arm) => e.discountCost[arm].total),
    offerRow('discount cost per customer', (e, arm) => e.discountCost[arm].perCustomer),
    offerRow('margin after discount', (e, arm) => e.marginAfterDiscount[arm].total),
    offerRow('margin per customer', (e, arm) => e.marginAfterDiscount[arm].perCustomer),
    offerRow('margin share of revenue', (e, arm) => e.marginAfterDiscount[arm].shareOfRevenue, rate),
    offerRow('partner revenue', (e, arm) => e.partnerRevenue[arm]),
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
    // Margin, not revenue, says whether the offers paid for themselves: discounts buy conversions.
    `${label('margin per customer lift')}${
      computed ? formatEstimate(computed.marginAfterDiscount.incrementalPerCustomer, signedMoney) : uncomputed
    }`,
    `${label('partner revenue, total')}${computed ? money(computed.partnerRevenue.total) : uncomputed}`,
    `${label('verdict')}${stats.verdict === 'n/a' ? `n/a (${isValue(stats.pValue) ? 'no comparison' : stats.pValue.na})` : stats.verdict}`,
  ];
  lines.push(...notes);
  if ('currencies' in data && data.currencies.length > 1)
    lines.push(
      `  note: revenue, discounts and margin add up amounts in ${data.currencies.join(', ')} without conversion`,
    );
  if (data.holdoutEpochs.length > 1)
    lines.push(
      `  note: these entries were assigned under holdout epochs ${data.holdoutEpochs.join(', ')}: a reshuffle ` +
        'moved customers between arms; --from the reshuffle (journeys holdouts show) compares within one scheme',
    );
  if ('judgedByOtherDefinitions' in data && data.judgedByOtherDefinitions !== undefined)
    lines.push(
      `  note: some entries were judged by ${count(data.judgedByOtherDefinitions)} other success ` +
        `${data.judgedByOtherDefinitions === 1 ? 'definition' : 'definitions'}, the one they entered with; ` +
        '--rebuild re-judges them all by this one',
    );
  if ('unpricedEngagements' in data && data.unpricedEngagements > 0)
    lines.push(
      `  note: partner revenue leaves out ${count(data.unpricedEngagements)} ` +
        `${data.unpricedEngagements === 1 ? 'click or conversion' : 'clicks or conversions'} on offers not in the catalog`,
    );
  return lines;
}
