import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JourneyEvent } from '../schemas/events/schema';
import { formatLift } from '../cli/liftFormat';
import { economicsNa, economicsStats } from '../engine/measurement/economicsStats';
import { isValue, liftStats, type Estimate } from '../engine/measurement/lift';
import { t975, twoSidedP } from '../engine/measurement/normal';
import { ratioInterval, wilson } from '../engine/measurement/proportions';
import {
  addCustomer,
  customerEconomics,
  noEconomics,
  type OfferPayout,
} from '../engine/measurement/orderEconomics';
import { aggregateArms, syntheticPopulation } from '../engine/measurement/synthetic';
import {
  attributionSpan,
  firstEntries,
  tallyPlaybook,
  type PlaybookLiftData,
} from '../engine/measurement/liftTally';

/*
 * The lift statistics: known values, the edges that would give NaN, and a known true effect; and
 * the offer economics (discounts, margin, partner payouts) from events and per-arm sums.
 */

function value(estimate: Estimate): { value: number; low: number; high: number } {
  assert.ok(isValue(estimate), `expected a value, got ${JSON.stringify(estimate)}`);
  assert.ok(estimate.interval);
  return { value: estimate.value, ...estimate.interval };
}

const close = (actual: number, expected: number, tolerance: number) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

describe('distribution functions', () => {
  it('match published tables', () => {
    close(twoSidedP(1.959964), 0.05, 1e-6);
    close(twoSidedP(0), 1, 1e-7);
    close(t975(1), 12.7062, 1e-4);
    close(t975(10), 2.2281, 1e-3);
    close(t975(30), 2.0423, 1e-4);
    close(t975(1e6), 1.96, 1e-4);
  });

  it('Wilson stays inside [0, 1] and is finite at zero successes', () => {
    const zero = wilson(0, 10);
    assert.equal(zero.low, 0);
    close(zero.high, 0.2775, 1e-4);
    close(wilson(10, 10).high, 1, 1e-12);
  });

  it('the ratio interval agrees with the log (Katz) interval on a large sample', () => {
    const [x1, n1, x0, n0] = [600, 10_000, 500, 10_000];
    const se = Math.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0);
    const { low, high } = ratioInterval(x1, n1, x0, n0);
    close(low, 1.2 * Math.exp(-1.96 * se), 0.005);
    close(high, 1.2 * Math.exp(1.96 * se), 0.005);
  });
});

describe('liftStats', () => {
  it('computes rates, incremental numbers, the lift interval and the p-value', () => {
    const stats = liftStats(
      { customers: 1000, conversions: 60, revenue: 6000, revenueSquares: 60 * 100 * 100 },
      { customers: 1000, conversions: 50, revenue: 5000, revenueSquares: 50 * 100 * 100 },
    );
    close(value(stats.treatment.conversionRate).value, 0.06, 1e-12);
    close(value(stats.incrementalConversions).value, 10, 1e-9);
    const lift = value(stats.conversionLift);
    close(lift.value, 0.2, 1e-12);
    assert.ok(lift.low < 0 && lift.high > 0.2);
    assert.ok(isValue(stats.pValue));
    close(stats.pValue.value, 0.3268, 1e-3);
    assert.equal(stats.verdict, 'not significant');
    close(value(stats.revenuePerCustomerLift).value, 1, 1e-9);
    close(value(stats.incrementalRevenue).value, 1000, 1e-6);
  });

  it('reports n/a with a reason, never NaN, for empty arms and zero conversions', () => {
    const none = { customers: 0, conversions: 0, revenue: 0, revenueSquares: 0 };
    const some = { customers: 100, conversions: 0, revenue: 0, revenueSquares: 0 };
    const empty = liftStats(some, none);
    assert.deepEqual(empty.conversionLift, { na: 'no control customers' });
    assert.equal(empty.verdict, 'n/a');
    assert.deepEqual(empty.control.conversionRate, { na: 'no customers' });

    const noConversions = liftStats(some, some);
    assert.deepEqual(noConversions.pValue, { na: 'no conversions in either arm' });
    assert.deepEqual(noConversions.conversionLift, { na: 'no control conversions to compare against' });
    assert.deepEqual(noConversions.revenuePerCustomerLift, { na: 'revenue does not vary within either arm' });
    assert.equal(noConversions.verdict, 'n/a');

    const zeroTreatment = liftStats(some, { ...some, conversions: 5, revenue: 500, revenueSquares: 50_000 });
    const lift = value(zeroTreatment.conversionLift);
    assert.equal(lift.value, -1);
    assert.ok(Number.isFinite(lift.high) && lift.high > -1 && lift.low >= -1);
    assert.ok(!JSON.stringify(zeroTreatment).includes('null'), 'no NaN (JSON would print null)');
  });
});

describe('synthetic validation', () => {
  const truth = { controlRate: 0.05, treatmentRate: 0.06 }; // a true lift of +20%

  it('on 100,000 customers the 95% interval contains the true lift of +20%, and says significant', () => {
    const arms = aggregateArms(
      syntheticPopulation({ seed: 7, customers: 100_000, controlShare: 0.5, ...truth }),
    );
    const stats = liftStats(arms.treatment, arms.control);
    const lift = value(stats.conversionLift);
    assert.ok(lift.low <= 0.2 && 0.2 <= lift.high, `[${lift.low}, ${lift.high}] misses +20%`);
    assert.equal(stats.verdict, 'significant');
  });

  it('with no effect it says "not significant"', () => {
    const arms = aggregateArms(
      syntheticPopulation({
        seed: 7,
        customers: 100_000,
        controlShare: 0.5,
        controlRate: 0.05,
        treatmentRate: 0.05,
      }),
    );
    const stats = liftStats(arms.treatment, arms.control);
    assert.equal(stats.verdict, 'not significant');
    const lift = value(stats.conversionLift);
    assert.ok(lift.low < 0 && lift.high > 0);
  });

  it('is honest: over 200 seeded replications the interval covers the truth about 95% of the time', () => {
    let covered = 0;
    let revenueCovered = 0;
    const replications = 200;
    for (let seed = 1; seed <= replications; seed += 1) {
      // A 10% holdout, as playbooks use, with few control conversions (about 50): the hard case.
      const arms = aggregateArms(
        syntheticPopulation({ seed, customers: 10_000, controlShare: 0.1, ...truth, meanOrder: 80 }),
      );
      const stats = liftStats(arms.treatment, arms.control);
      const lift = value(stats.conversionLift);
      if (lift.low <= 0.2 && 0.2 <= lift.high) covered += 1;
      // True revenue per customer: rate × mean order (80), so the true difference is 0.01 × 80.
      const revenue = value(stats.revenuePerCustomerLift);
      if (revenue.low <= 0.8 && 0.8 <= revenue.high) revenueCovered += 1;
    }
    assert.ok(covered / replications >= 0.9, `conversion-lift coverage ${covered}/${replications}`);
    assert.ok(revenueCovered / replications >= 0.9, `revenue coverage ${revenueCovered}/${replications}`);
  });
});

describe('offer economics', () => {
  const costModel = { defaultCostRatio: 0.6, costRatios: { socks: 0.5 } };
  const offers = new Map<string, OfferPayout>([
    ['P-CPC', { kind: 'partner', payoutModel: 'cpc', payout: 0.5 }],
    ['P-CPA', { kind: 'partner', payoutModel: 'cpa', payout: 4 }],
    ['OWN', { kind: 'own' }],
  ]);
  const engaged = (eventId: string, kind: 'opened' | 'clicked' | 'converted', offerId?: string) =>
    JourneyEvent.parse({
      type: 'message.engaged',
      eventId,
      customerId: 'c1',
      occurredAt: '2026-10-02T00:00:00Z',
      data: { messageId: 'm1', kind, ...(offerId !== undefined && { offerId }) },
    });

  it('values orders at item cost, else the category ratio, less the discount', () => {
    const order = JourneyEvent.parse({
      type: 'order.placed',
      eventId: 'o1',
      customerId: 'c1',
      occurredAt: '2026-10-02T00:00:00Z',
      data: {
        orderId: 'o1',
        items: [
          { sku: 'A', category: 'shoes', price: 50, quantity: 2, cost: 20 },
          { sku: 'B', category: 'socks', price: 30, quantity: 1 },
          { sku: 'C', category: 'bags', price: 10, quantity: 1 },
        ],
        total: 135,
        currency: 'EUR',
        salesChannel: 'online',
        discount: 10,
      },
    });
    // Goods 140; cost 40 + 15 + 6 = 61; margin 140 − 61 − 10 = 69. Shipping in the total is not margin.
    assert.deepEqual(customerEconomics([order], costModel, offers), {
      discount: 10,
      margin: 69,
      partnerRevenue: 0,
      unpricedEngagements: 0,
    });
  });

  it('pays a cpc offer per click and a cpa offer per conversion, each engagement once', () => {
    const events = [
      engaged('e1', 'clicked', 'P-CPC'),
      engaged('e1', 'clicked', 'P-CPC'), // the same event twice: counted once
      engaged('e2', 'converted', 'P-CPA'),
      engaged('e3', 'opened', 'P-CPC'),
      engaged('e4', 'clicked', 'P-CPA'),
      engaged('e5', 'converted', 'P-CPC'),
      engaged('e6', 'clicked', 'OWN'),
      engaged('e7', 'clicked'),
      engaged('e8', 'converted', 'GONE'),
    ];
    assert.deepEqual(customerEconomics(events, costModel, offers), {
      discount: 0,
      margin: 0,
      partnerRevenue: 4.5,
      unpricedEngagements: 1,
    });
  });

  it('gives an arm without orders zeros, and n/a only where there is nothing to divide by', () => {
    const arm = (customers: number) => ({
      customers,
      conversions: 0,
      revenue: 0,
      revenueSquares: 0,
      ...noEconomics(),
    });
    const stats = economicsStats(arm(3), arm(0));
    assert.deepEqual(stats.discountCost.treatment, { total: 0, perCustomer: { value: 0 } });
    assert.deepEqual(stats.marginAfterDiscount.treatment, {
      total: 0,
      perCustomer: { value: 0 },
      shareOfRevenue: { na: 'no revenue' },
    });
    assert.deepEqual(stats.discountCost.control.perCustomer, { na: 'no customers' });
    assert.deepEqual(stats.marginAfterDiscount.incrementalPerCustomer, {
      na: 'needs at least two customers in each arm',
    });
    assert.deepEqual(stats.partnerRevenue, { treatment: 0, control: 0, total: 0 });
    // No orders in either arm: the margins are all 0, so the difference is exactly 0, no interval.
    assert.deepEqual(economicsStats(arm(3), arm(2)).marginAfterDiscount.incrementalPerCustomer, { value: 0 });
  });

  it('compares margin per customer with Welch, as revenue per customer', () => {
    const arm = (margins: number[]) => {
      const sums = { ...noEconomics(), customers: 0, conversions: 0, revenue: 0, revenueSquares: 0 };
      for (const margin of margins) {
        sums.customers += 1;
        sums.revenue += margin * 2;
        addCustomer(sums, { discount: 0, margin, partnerRevenue: 0, unpricedEngagements: 0 });
      }
      return sums;
    };
    const { incrementalPerCustomer } = economicsStats(arm([65, 16, 0]), arm([30, 0])).marginAfterDiscount;
    const lift = value(incrementalPerCustomer);
    close(lift.value, 12, 1e-12);
    // Variances 1147 and 450: se √(1147/3 + 450/2), Welch–Satterthwaite df ≈ 2.98.
    const se = Math.sqrt(1147 / 3 + 225);
    const df = (1147 / 3 + 225) ** 2 / ((1147 / 3) ** 2 / 2 + 225 ** 2);
    close(lift.high - lift.value, t975(df) * se, 1e-9);
  });
});

describe('the lift report across a reshuffle', () => {
  const arm = (customers: number, conversions: number) => ({
    customers,
    conversions,
    revenue: 0,
    revenueSquares: 0,
    unsubscribes: 0,
    ...noEconomics(),
  });
  const data = (holdoutEpochs: number[]): PlaybookLiftData => ({
    playbookId: 'p',
    arms: { treatment: arm(900, 90), control: arm(100, 8) },
    holdoutEpochs,
    na: 'no published definition, so no success metric',
  });
  const note = (lines: string[]) => lines.filter((line) => line.includes('holdout epochs'));

  it('says so when the entries were assigned under more than one holdout scheme', () => {
    const mixed = data([1, 2]);
    const lines = formatLift(mixed, liftStats(mixed.arms.treatment, mixed.arms.control), economicsNa('n/a'));
    assert.deepEqual(note(lines), [
      '  note: these entries were assigned under holdout epochs 1, 2: a reshuffle moved customers between ' +
        'arms; --from the reshuffle (journeys holdouts show) compares within one scheme',
    ]);
    const single = data([2]);
    assert.deepEqual(
      note(formatLift(single, liftStats(single.arms.treatment, single.arms.control), economicsNa('n/a'))),
      [],
    );
  });
});

describe('the lift report when a definition changed', () => {
  it('notes entries judged by another success definition, the one they entered with', () => {
    const arm = (customers: number) => ({
      customers,
      conversions: 0,
      revenue: 0,
      revenueSquares: 0,
      unsubscribes: 0,
      ...noEconomics(),
    });
    const base = {
      playbookId: 'p',
      arms: { treatment: arm(10), control: arm(10) },
      holdoutEpochs: [1],
      success: { metric: { event: 'order.placed' as const }, window: '7d' },
      currencies: [],
      unpricedEngagements: 0,
    };
    const notes = (data: PlaybookLiftData) =>
      formatLift(data, liftStats(data.arms.treatment, data.arms.control), economicsNa('n/a')).filter((line) =>
        line.includes('success definition'),
      );
    assert.deepEqual(notes({ ...base, judgedByOtherDefinitions: 1 }), [
      '  note: some entries were judged by 1 other success definition, the one they entered with; ' +
        '--rebuild re-judges them all by this one',
    ]);
    assert.deepEqual(notes(base), []);
  });
});

describe('the lift tally (pure: the store reads, this counts)', () => {
  const costModel = { defaultCostRatio: 0.6, costRatios: {} };
  const enteredAt = new Date('2026-10-01T00:00:00Z');
  const entry = (
    customerId: string,
    arm: 'treatment' | 'control',
    at: Date,
    entryEventId = `e-${customerId}`,
  ) => ({
    playbookId: 'p',
    customerId,
    entryEventId,
    arm,
    enteredAt: at,
    holdoutEpoch: 1,
  });
  const order = (eventId: string, customerId: string, occurredAt: string, total: number) => {
    const payload = JourneyEvent.parse({
      type: 'order.placed',
      eventId,
      customerId,
      occurredAt,
      data: {
        orderId: eventId,
        items: [{ sku: 'A', category: 'shoes', price: total, quantity: 1 }],
        total,
        currency: 'EUR',
        salesChannel: 'online',
      },
    });
    return { eventId, occurredAt: new Date(occurredAt), payload };
  };
  const success = { metric: { event: 'order.placed' as const }, window: '7d' };

  it('counts a customer once, in the arm of the first entry, and the entering order never as its own conversion', () => {
    const later = new Date('2026-10-03T00:00:00Z');
    const byPlaybook = firstEntries([
      entry('c1', 'treatment', later, 'e-c1-again'),
      entry('c1', 'control', enteredAt),
    ]);
    const customers = [...byPlaybook.get('p')!.values(), entry('c2', 'treatment', enteredAt, 'o-c2')];
    assert.deepEqual(
      customers.map((e) => [e.customerId, e.arm]),
      [
        ['c1', 'control'],
        ['c2', 'treatment'],
      ],
    );
    const eventsByCustomer = new Map([
      // c1: one order inside the window, one after it.
      ['c1', [order('o1', 'c1', '2026-10-02T00:00:00Z', 40), order('o2', 'c1', '2026-10-09T00:00:01Z', 99)]],
      // c2 entered with this very order.
      ['c2', [order('o-c2', 'c2', '2026-10-01T00:00:00Z', 60)]],
    ]);
    assert.deepEqual(attributionSpan(customers, success), {
      from: enteredAt.getTime(),
      to: enteredAt.getTime() + 7 * 86_400_000,
      lastEntry: enteredAt.getTime(),
    });
    const data = tallyPlaybook(
      'p',
      customers,
      { success, eventsByCustomer, triggerById: new Map(), payouts: new Map() },
      costModel,
    );
    assert.ok(!('na' in data));
    assert.deepEqual(
      [data.arms.control.customers, data.arms.control.conversions, data.arms.control.revenue],
      [1, 1, 40],
    );
    assert.deepEqual(
      [data.arms.treatment.customers, data.arms.treatment.conversions, data.arms.treatment.revenue],
      [1, 0, 0],
    );
    assert.deepEqual(data.currencies, ['EUR']);
    assert.deepEqual(data.holdoutEpochs, [1]);
  });

  it('without a success definition counts only the customers, and says why', () => {
    const data = tallyPlaybook('p', [entry('c1', 'treatment', enteredAt)], undefined, costModel);
    assert.deepEqual(data.arms.treatment.customers, 1);
    assert.ok('na' in data && data.na === 'no published definition, so no success metric');
  });
});
