import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OfferDecision } from '../engine/offers/offer';
import { basketOf, EMPTY_BASKET, type Basket } from '../engine/offers/basket';
import { buildCatalogIndex } from '../engine/offers/catalogIndex';
import { decideOffer, type OfferModel, type OfferRequest, type OfferUsage } from '../engine/offers/decide';
import { engagementFromDaily, engagementKey, type DailyOutcomes } from '../engine/offers/learning';
import { mulberry32 } from '../engine/random/mulberry32';
import { beta } from '../engine/offers/sampling';
import { Offer } from '../schemas/offers/schema';
import { OfferSettings } from '../schemas/policy/schema';

const DAY = 86_400_000;
const AT = Date.parse('2026-11-15T12:00:00Z');
const TODAY = Math.floor(AT / DAY);
const KEYS = Array.from({ length: 400 }, (_, i) => `run-${i}:offer`);

const discount = (fields: Record<string, unknown>): Offer =>
  Offer.parse({ kind: 'discount', title: `${String(fields.offerId)} offer`, discountPercent: 10, ...fields });
const freeShipping = (fields: Record<string, unknown>): Offer =>
  Offer.parse({ kind: 'freeShipping', title: `${String(fields.offerId)} offer`, ...fields });
const partner = (fields: Record<string, unknown>): Offer =>
  Offer.parse({
    kind: 'partner',
    title: `${String(fields.offerId)} offer`,
    brand: 'Toebox',
    payoutModel: 'cpc',
    payout: 0.5,
    ...fields,
  });

/** Outcomes learned today: `engaged` of `shown` for each offer in the context. */
const learned = (contextKey: string, counts: Record<string, readonly [number, number]>): DailyOutcomes[] =>
  Object.entries(counts).map(([offerId, [engaged, shown]]) => ({
    offerId,
    contextKey,
    day: TODAY,
    shown,
    engaged,
  }));

function modelOf(
  offers: Offer[],
  options: {
    settings?: Record<string, unknown>;
    outcomes?: DailyOutcomes[];
    usage?: Record<string, OfferUsage>;
  } = {},
): OfferModel {
  return {
    index: buildCatalogIndex(offers),
    engagement: engagementFromDaily(options.outcomes ?? [], AT, 30 * DAY),
    usage: new Map(Object.entries(options.usage ?? {})),
    settings: OfferSettings.parse({ exploration: 0, ...options.settings }),
  };
}

const costs = OfferSettings.parse({ costRatios: { 'running-shoes': 0.55 } });
const basket = (...lines: [category: string, price: number, quantity?: number][]): Basket =>
  basketOf(
    lines.map(([category, price, quantity = 1]) => ({ category, price, quantity })),
    costs,
  );
const SHOES = basket(['running-shoes', 120]);

function decide(model: OfferModel, request: Partial<OfferRequest> = {}): OfferDecision | null {
  return decideOffer(model, {
    decisionKey: 'run-1:offer',
    customerId: 'ada',
    at: AT,
    basket: SHOES,
    customerGrants: {},
    ...request,
  });
}

/** How often each offer is chosen over many decision keys (`null` when none is). */
function tally(model: OfferModel, request: Partial<OfferRequest> = {}, keys = KEYS): Map<string, number> {
  const chosen = new Map<string, number>();
  for (const decisionKey of keys) {
    const id = decide(model, { ...request, decisionKey })?.offerId ?? 'null';
    chosen.set(id, (chosen.get(id) ?? 0) + 1);
  }
  return chosen;
}

describe('offer decision: eligibility and guardrails', () => {
  // `tempting` is learned to engage half the time, `plain` is unproven: tempting wins when eligible.
  const plain = freeShipping({ offerId: 'plain' });
  const outcomes = learned('running-shoes', { tempting: [500, 1000] });
  const breaches: [
    rule: string,
    fields: Record<string, unknown>,
    request: Partial<OfferRequest>,
    usage?: OfferUsage,
  ][] = [
    ['inactive', { active: false }, {}],
    ['expired', { validTo: '2026-11-15T00:00:00Z' }, {}],
    ['not-yet-valid', { validFrom: '2026-11-16' }, {}],
    ['tier', { eligibleTiers: ['gold'] }, { loyaltyTier: 'silver' }],
    ['category', { eligibleCategories: ['coffee-beans'] }, {}],
    ['per-customer-cap', { perCustomerCap: 2 }, { customerGrants: { tempting: 2 } }],
    ['total-cap', { totalCap: 100 }, {}, { redemptions: 100, spent: 0 }],
    // 10% of 120 is 12: 95 spent + 12 > 100.
    ['budget', { budget: 100 }, {}, { redemptions: 3, spent: 95 }],
  ];

  it('chooses the tempting offer when nothing rules it out', () => {
    const model = modelOf([plain, discount({ offerId: 'tempting', perCustomerCap: 2, budget: 1000 })], {
      outcomes,
    });
    assert.ok((tally(model).get('tempting') ?? 0) >= KEYS.length * 0.95);
  });

  for (const [rule, fields, request, usage] of breaches) {
    it(`never chooses an offer failing ${rule}, even when it would score best`, () => {
      const tempting = discount({ offerId: 'tempting', ...fields });
      const base = { outcomes, ...(usage !== undefined && { usage: { tempting: usage } }) };
      // Exploring half the time: a random pick must respect the rules too.
      for (const exploration of [0, 0.5]) {
        const chosen = tally(modelOf([plain, tempting], { ...base, settings: { exploration } }), request);
        assert.deepEqual([...chosen], [['plain', KEYS.length]], `${rule} at exploration ${exploration}`);
      }
      const decision = decide(modelOf([plain, tempting], base), request);
      assert.deepEqual(decision?.rejected, { [rule]: 1 });
    });
  }
});

describe('offer decision: margin floor', () => {
  // Running shoes cost 55% of their price.
  it('never chooses a discount below its margin floor on the basket, while one above it is', () => {
    const model = modelOf(
      [
        // (120 − 36 − 66) / (120 − 36) = 21.4% < 25%
        discount({ offerId: 'deep', discountPercent: 30, marginFloorPercent: 25 }),
        // (120 − 6 − 66) / (120 − 6) = 42.1% ≥ 25%
        discount({ offerId: 'shallow', discountPercent: 5, marginFloorPercent: 25 }),
      ],
      { outcomes: learned('running-shoes', { deep: [600, 1000] }), settings: { exploration: 0.5 } },
    );
    assert.deepEqual([...tally(model)], [['shallow', KEYS.length]]);
    const decision = decide(model);
    assert.equal(decision?.rejected['margin-floor'], 1);
    assert.ok(decision?.reasons.includes('margin 42.1% ≥ floor 25%'), decision?.reasons.join('\n'));
    assert.equal(decision?.discountAmount, 6);
  });

  it('judges an empty basket on the worst basket that could redeem the offer', () => {
    const model = modelOf(
      [
        // Smallest redeeming basket 50 at 55%: (50 − 15 − 27.5) / (50 − 15) = 21.4% < 25%.
        discount({
          offerId: 'deep',
          discountPercent: 30,
          minBasket: 50,
          marginFloorPercent: 25,
          eligibleCategories: ['running-shoes'],
        }),
        // A fixed 10 off with no minimum could take a whole small order.
        discount({ offerId: 'fixed', discountPercent: undefined, discountAmount: 10, marginFloorPercent: 5 }),
        // (20 − 11 − 6) / 20 = 15% < 30% on the smallest basket.
        freeShipping({
          offerId: 'shipping',
          minBasket: 20,
          marginFloorPercent: 30,
          eligibleCategories: ['running-shoes'],
        }),
        // (50 − 2.5 − 27.5) / 47.5 = 42.1% ≥ 25%.
        discount({
          offerId: 'shallow',
          discountPercent: 5,
          minBasket: 50,
          marginFloorPercent: 25,
          eligibleCategories: ['running-shoes'],
        }),
      ],
      {
        outcomes: learned('none', { deep: [600, 1000], fixed: [600, 1000], shipping: [600, 1000] }),
        settings: { exploration: 0.5, costRatios: { 'running-shoes': 0.55 } },
      },
    );
    assert.deepEqual([...tally(model, { basket: EMPTY_BASKET })], [['shallow', KEYS.length]]);
    const decision = decide(model, { basket: EMPTY_BASKET });
    assert.deepEqual(decision?.rejected, { 'margin-floor': 3 });
    assert.ok(decision?.reasons.includes('redeemable only on running-shoes'));
    assert.ok(decision?.reasons.includes('redeemable from a basket of 50'));
    assert.ok(
      decision?.reasons.includes('margin 42.1% ≥ floor 25% on the smallest basket that redeems it (50.00)'),
      decision?.reasons.join('\n'),
    );
  });

  it('takes the highest cost ratio any category could have for an offer open to every category', () => {
    // 5% off a 50 basket: at the worst ratio, 80%, (47.5 − 40) / 47.5 = 15.8%.
    const offer = (floor: number): Offer =>
      discount({ offerId: `floor-${floor}`, discountPercent: 5, minBasket: 50, marginFloorPercent: floor });
    const settings = { defaultCostRatio: 0.6, costRatios: { electronics: 0.8 } };
    assert.equal(decide(modelOf([offer(15)], { settings }), { basket: EMPTY_BASKET })?.offerId, 'floor-15');
    assert.equal(decide(modelOf([offer(16)], { settings }), { basket: EMPTY_BASKET }), null);
  });
});

describe('offer decision: partner offers', () => {
  const strong = { rival: [600, 1000], excluded: [600, 1000], far: [600, 1000] } as const;
  const offers = [
    // Another brand of running shoes next to running shoes: the buyer just chose a rival.
    partner({ offerId: 'rival', category: 'running-shoes', neverNextTo: ['running-shoes'] }),
    // Adjacent, but it excludes running-shoes buyers.
    partner({
      offerId: 'excluded',
      category: 'running-socks',
      neverNextTo: ['running-shoes', 'trail-shoes'],
    }),
    // Coffee has nothing to do with running shoes.
    partner({ offerId: 'far', category: 'coffee-beans' }),
    partner({ offerId: 'socks', category: 'running-socks', neverNextTo: ['running-socks'] }),
  ];

  it('never shows an offer next to an excluded or unrelated purchase; shows the adjacent one', () => {
    const model = modelOf(offers, {
      outcomes: learned('running-shoes', strong),
      settings: { exploration: 0.5 },
    });
    assert.deepEqual([...tally(model, { kinds: ['partner'] })], [['socks', KEYS.length]]);
    const decision = decide(model, { kinds: ['partner'] });
    assert.equal(decision?.category, 'running-socks');
    assert.equal(decision?.brand, 'Toebox');
    assert.equal(decision?.payoutModel, 'cpc');
    assert.deepEqual(decision?.rejected, { 'never-next-to': 2 });
    assert.equal(decision?.scores.considered, 3, 'coffee is not even looked at');
    assert.ok(decision?.reasons.includes('partner category running-socks is adjacent to running-shoes'));
    assert.ok(decision?.reasons.includes('not next to its excluded categories (running-socks)'));
  });

  it('never shows a partner offer next to its own excluded category, whatever else is bought', () => {
    const both = basket(['running-shoes', 120], ['running-socks', 15, 2]);
    const model = modelOf(offers, {
      outcomes: learned('running-shoes', strong),
      settings: { exploration: 0.5 },
    });
    assert.deepEqual([...tally(model, { kinds: ['partner'], basket: both })], [['null', KEYS.length]]);
  });

  it('needs a purchase: no partner offer with an empty basket', () => {
    assert.equal(decide(modelOf(offers), { kinds: ['partner'], basket: EMPTY_BASKET }), null);
  });

  it('allows the purchase’s own category as a weaker match when the offer does not exclude it', () => {
    const model = modelOf([partner({ offerId: 'insoles', category: 'running-shoes', neverNextTo: [] })]);
    const decision = decide(model, { kinds: ['partner'] });
    assert.equal(decision?.offerId, 'insoles');
    assert.ok(decision?.reasons.some((r) => r.includes('weaker match')));
  });

  it('matches a price point to the basket’s mean unit price', () => {
    const premium = partner({ offerId: 'premium', category: 'running-socks', pricePoint: { min: 150 } });
    const model = modelOf([premium]);
    assert.equal(decide(model, { kinds: ['partner'] }), null);
    assert.equal(
      decide(model, { kinds: ['partner'], basket: basket(['running-shoes', 180]) })?.offerId,
      'premium',
    );
  });
});

describe('offer decision: sampling and learning', () => {
  const twins = [
    freeShipping({ offerId: 'high' }),
    freeShipping({ offerId: 'low' }),
    freeShipping({ offerId: 'new' }),
  ];

  it('gives the same decision for the same key and model', () => {
    const model = modelOf(twins, { settings: { exploration: 0.3 } });
    for (const decisionKey of KEYS.slice(0, 50))
      assert.deepEqual(decide(model, { decisionKey }), decide(model, { decisionKey }));
    assert.ok(tally(model).size > 1, 'different keys draw differently');
  });

  it('explores at the configured rate', () => {
    const model = modelOf(twins, { settings: { exploration: 0.15 } });
    const keys = Array.from({ length: 5000 }, (_, i) => `explore-${i}`);
    const explored = keys.filter((decisionKey) => decide(model, { decisionKey })?.scores.explored).length;
    assert.ok(Math.abs(explored / keys.length - 0.15) <= 0.02, `explored ${explored} of ${keys.length}`);
    const decision = keys
      .map((decisionKey) => decide(model, { decisionKey }))
      .find((d) => d?.scores.explored);
    assert.ok(decision?.reasons.includes('explored: chosen at random among 3 eligible (15% exploration)'));
  });

  it('with no exploration, prefers the offer learned to engage more', () => {
    const model = modelOf(twins, { outcomes: learned('running-shoes', { high: [30, 300], low: [3, 300] }) });
    const chosen = tally(model);
    assert.ok((chosen.get('high') ?? 0) >= KEYS.length * 0.8, JSON.stringify([...chosen]));
    assert.equal(chosen.get('low') ?? 0, 0);
  });

  it('forgets with the half-life: a count one half-life old weighs half', () => {
    const halfLife = 10 * DAY;
    const day = 20_000;
    const asOf = (day + 1) * DAY + halfLife;
    const rows: DailyOutcomes[] = [
      { offerId: 'a', contextKey: 'running-shoes', day, shown: 100, engaged: 10 },
      { offerId: 'a', contextKey: 'coffee-beans', day: day + 11, shown: 8, engaged: 2 }, // in progress: full weight
      { offerId: 'a', contextKey: 'coffee-beans', day: day + 12, shown: 5, engaged: 5 }, // not yet happened
    ];
    const counts = engagementFromDaily(rows, asOf, halfLife);
    assert.deepEqual(counts.get(engagementKey('a', 'running-shoes')), { shown: 50, engaged: 5 });
    assert.deepEqual(counts.get(engagementKey('a', 'coffee-beans')), { shown: 8, engaged: 2 });
    assert.deepEqual(counts.get(engagementKey('a', '*')), { shown: 58, engaged: 7 });
  });

  it('samples Beta draws with the right mean', () => {
    const random = mulberry32(7);
    const draws = Array.from({ length: 20_000 }, () => beta(random, 2, 8));
    const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
    assert.ok(Math.abs(mean - 0.2) < 0.005, `mean ${mean}`);
    const prior = Array.from({ length: 20_000 }, () => beta(random, 1, 19));
    assert.ok(Math.abs(prior.reduce((s, x) => s + x, 0) / prior.length - 0.05) < 0.002);
    const small = Array.from({ length: 20_000 }, () => beta(random, 0.5, 0.5));
    assert.ok(small.every((x) => x >= 0 && x <= 1));
    assert.ok(Math.abs(small.reduce((s, x) => s + x, 0) / small.length - 0.5) < 0.01);
  });
});

describe('offer decision: the stored decision', () => {
  it('fills reasons, scores and rejected counts, and is plain JSON', () => {
    const model = modelOf(
      [
        discount({
          offerId: 'ten',
          minBasket: 50,
          validTo: '2027-01-01',
          marginFloorPercent: 25,
          code: 'TEN',
        }),
        discount({ offerId: 'off', active: false }),
        discount({ offerId: 'big', minBasket: 500 }),
        freeShipping({ offerId: 'ship' }),
        // Not even looked at: the step asks for discounts only.
        partner({ offerId: 'socks', category: 'running-socks' }),
      ],
      { outcomes: learned('running-shoes', { ten: [40, 400] }) },
    );
    const decision = decide(model, { kinds: ['discount'] });
    assert.ok(decision);
    assert.deepEqual(JSON.parse(JSON.stringify(decision)), decision);
    assert.equal(decision.offerId, 'ten');
    assert.equal(decision.code, 'TEN');
    assert.equal(decision.discountPercent, 10);
    assert.equal(decision.discountAmount, 12);
    assert.equal(decision.contextKey, 'running-shoes');
    assert.deepEqual(decision.rejected, { inactive: 1, 'min-basket': 1, kind: 1 });
    assert.equal(decision.scores.eligible, 1);
    assert.equal(decision.scores.considered, 4);
    assert.equal(decision.scores.explored, false);
    // 120 × (1 − 0.55) − 12
    assert.equal(decision.scores.value, 42);
    assert.ok(decision.scores.engagement > 0 && decision.scores.engagement < 1);
    assert.ok(Math.abs(decision.scores.expectedValue - decision.scores.engagement * 42) < 1e-3);
    const reasons = decision.reasons;
    assert.deepEqual(reasons.slice(0, 3), [
      'active and valid until 2027-01-01',
      'basket 120.00 ≥ minimum 50',
      'margin 38.9% ≥ floor 25%', // (108 − 66) / 108
    ]);
    assert.match(reasons.join('\n'), /^value 42\.00 = order margin 42\.00$/m);
    assert.match(
      reasons.join('\n'),
      /^engagement \d+\.\d% sampled from 400 showings, 40 engaged, in running-shoes$/m,
    );
    assert.match(reasons.join('\n'), /^expected value \d+\.\d\d = engagement \d+\.\d% × value 42\.00$/m);
    assert.equal(reasons.at(-1), 'best of 1 eligible by sampled expected value');
  });

  it('returns null when nothing is eligible', () => {
    assert.equal(decide(modelOf([discount({ offerId: 'off', active: false })])), null);
    assert.equal(decide(modelOf([])), null);
  });
});
