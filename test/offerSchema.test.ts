import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATEGORY_ADJACENCY, DEMO_CATEGORIES } from '../engine/offers/offerCategories.data';
import { checkRows } from '../schemas/offers/checkRows';
import { cellsFromOffer, OFFER_COLUMNS, rowFromCells } from '../schemas/offers/columns';
import { Offer } from '../schemas/offers/schema';
import { parseCsv } from '../schemas/offers/csv';
import { demoCatalog } from '../tools/demo/offerCatalog';
import { validateOffer } from '../schemas/offers/validate';

const discount = {
  kind: 'discount',
  offerId: 'own-1',
  title: '10% off running shoes',
  discountPercent: 10,
  maxDiscount: 25,
  minBasket: 50,
  eligibleCategories: ['running-shoes'],
  eligibleTiers: ['gold'],
  marginFloorPercent: 20,
  perCustomerCap: 1,
  totalCap: 500,
  budget: 5000,
  validFrom: '2026-11-01',
  validTo: '2026-12-01T00:00:00+01:00',
};
const partner = {
  kind: 'partner',
  offerId: 'partner-1',
  title: 'Rosteriet: 15% off beans',
  brand: 'Rosteriet',
  category: 'coffee-beans',
  neverNextTo: ['coffee-beans'],
  payoutModel: 'cpc',
  payout: 0.4,
};

/** The fields a row's problems name, in order. */
function badFields(row: unknown): string[] {
  const checked = validateOffer(row);
  assert.equal(checked.offer, undefined, 'expected the row to be rejected');
  return (checked.issues ?? []).map((issue) => issue.path);
}

describe('offer schema', () => {
  it('accepts each kind and fills the defaults', () => {
    const own = validateOffer(discount).offer;
    assert.ok(own);
    assert.equal(own.active, true);
    assert.equal(own.validFrom, '2026-11-01T00:00:00.000Z');
    assert.equal(own.validTo, '2026-11-30T23:00:00.000Z');
    assert.ok(validateOffer({ kind: 'freeShipping', offerId: 'fs', title: 'Free shipping' }).offer);
    assert.ok(validateOffer({ kind: 'gift', offerId: 'g', title: 'Tote bag', giftCost: 3 }).offer);
    const brand = validateOffer({ ...partner, neverNextTo: undefined }).offer;
    assert.deepEqual(brand?.kind === 'partner' && brand.neverNextTo, []);
  });

  it('names each bad field', () => {
    assert.deepEqual(badFields({ ...discount, title: undefined }), ['title']);
    assert.deepEqual(badFields({ ...discount, discountPercent: 120 }), ['discountPercent']);
    assert.deepEqual(badFields({ ...discount, discountPercent: undefined }), ['discountPercent']);
    assert.deepEqual(badFields({ ...discount, discountAmount: 5 }), ['discountAmount']);
    assert.deepEqual(badFields({ ...discount, maxDiscount: 0 }), ['maxDiscount']);
    assert.deepEqual(badFields({ ...discount, minBasket: -1 }), ['minBasket']);
    assert.deepEqual(badFields({ ...discount, marginFloorPercent: 100 }), ['marginFloorPercent']);
    assert.deepEqual(badFields({ ...discount, perCustomerCap: 1.5 }), ['perCustomerCap']);
    assert.deepEqual(badFields({ ...discount, eligibleCategories: ['Running Shoes'] }), [
      'eligibleCategories[0]',
    ]);
    assert.deepEqual(badFields({ ...discount, validTo: '2026-10-01' }), ['validTo']);
    assert.deepEqual(badFields({ ...discount, validFrom: 'next week' }), ['validFrom']);
    assert.deepEqual(badFields({ ...discount, brand: 'Acme' }), ['brand']);
    assert.deepEqual(badFields({ ...partner, payoutModel: 'cpm', payout: 0 }), ['payoutModel', 'payout']);
    assert.deepEqual(badFields({ ...partner, category: undefined }), ['category']);
    assert.deepEqual(badFields({ ...partner, kind: undefined }), ['kind']);
  });

  it('words problems for people who keep the catalog in a spreadsheet', () => {
    const messages = (row: unknown) =>
      (validateOffer(row).issues ?? []).map((i) => `${i.path}: ${i.message}`);
    assert.deepEqual(messages({ ...discount, title: undefined }), ['title: required']);
    assert.deepEqual(messages({ ...discount, minBasket: '50' }), ['minBasket: expected a number']);
    assert.match(messages({ ...discount, kind: 'discont' })[0] ?? '', /did you mean "discount"/);
    assert.match(
      messages({ ...discount, minBaskt: 5 })[0] ?? '',
      /^minBaskt: unknown field \(did you mean "minBasket"\?\)/,
    );
  });
});

describe('offer CSV rows', () => {
  it('reads quoted cells and reports each record by the line it starts on', () => {
    const parsed = parseCsv('\uFEFFkind,title\r\ngift,"A ""free"", gift"\n\ngift,"two\nlines"\ngift,x');
    assert.ok('records' in parsed);
    assert.deepEqual(
      parsed.records.map((r) => [r.line, ...r.cells]),
      [
        [1, 'kind', 'title'],
        [2, 'gift', 'A "free", gift'],
        [4, 'gift', 'two\nlines'],
        [6, 'gift', 'x'],
      ],
    );
    assert.deepEqual(parseCsv('a,b\n1,"open\n'), { problem: 'a quoted field is never closed', line: 2 });
  });

  it('parses numbers strictly, lists on "|", and leaves empty cells out', () => {
    const header = ['kind', 'minBasket', 'eligibleCategories', 'active', 'code'];
    assert.deepEqual(rowFromCells(header, ['discount', '49.90', 'a | b|', 'TRUE', '']), {
      row: { kind: 'discount', minBasket: 49.9, eligibleCategories: ['a', 'b'], active: true },
      issues: [],
    });
    for (const bad of ['49,90', '1e3', '€49', '12abc', '.5']) {
      const { issues } = rowFromCells(header, ['discount', bad]);
      assert.deepEqual(
        issues.map((i) => i.path),
        ['minBasket'],
        bad,
      );
    }
    assert.deepEqual(
      rowFromCells(header, ['discount', '1', '', 'yes']).issues.map((i) => i.path),
      ['active'],
    );
  });

  it('reads a price point from two columns and a long-term value as a number, and writes them back', () => {
    const header = [
      'kind',
      'offerId',
      'title',
      'brand',
      'category',
      'payoutModel',
      'payout',
      'pricePoint.min',
      'pricePoint.max',
    ];
    const { row, issues } = rowFromCells(header, [
      'partner',
      'p-9',
      'Socks',
      'Knit',
      'running-socks',
      'cpc',
      '0.4',
      '10',
      '',
    ]);
    assert.deepEqual(issues, []);
    assert.deepEqual(row.pricePoint, { min: 10 });
    const offer = Offer.parse(row);
    const cells = cellsFromOffer(offer);
    assert.equal(cells[OFFER_COLUMNS.indexOf('pricePoint.min')], '10');
    assert.equal(cells[OFFER_COLUMNS.indexOf('pricePoint.max')], '');
    assert.ok(!OFFER_COLUMNS.includes('pricePoint'));
    assert.deepEqual(rowFromCells(['longTermValue'], ['40']).row, { longTermValue: 40 });
    assert.deepEqual(
      rowFromCells(['pricePoint.max'], ['cheap']).issues.map((i) => i.path),
      ['pricePoint.max'],
    );
  });

  it('rejects a repeated offerId on the later row, even when the first is bad', () => {
    const rows = [
      { line: 2, value: { ...discount, title: '' }, issues: [] },
      { line: 3, value: discount, issues: [] },
      { line: 4, value: partner, issues: [] },
    ];
    const { offers, problems } = checkRows(rows);
    assert.deepEqual(
      offers.map((o) => o.offerId),
      ['partner-1'],
    );
    assert.deepEqual(
      problems.map((p) => [p.line, ...p.issues.map((i) => i.path)]),
      [
        [2, 'title'],
        [3, 'offerId'],
      ],
    );
  });
});

describe('demo catalog', () => {
  it('is deterministic and every offer is valid', () => {
    const catalog = demoCatalog({ partnerOffers: 500 });
    assert.deepEqual(catalog, demoCatalog({ partnerOffers: 500 }));
    assert.notDeepEqual(catalog, demoCatalog({ partnerOffers: 500, seed: 7 }));
    assert.equal(catalog.filter((o) => o.kind !== 'partner').length, 200);
    assert.equal(catalog.filter((o) => o.kind === 'partner').length, 500);
    const { offers, problems } = checkRows(catalog.map((value, i) => ({ line: i + 2, value, issues: [] })));
    assert.deepEqual(problems, []);
    assert.equal(offers.length, 700);
    for (const offer of catalog) for (const key of Object.keys(offer)) assert.ok(OFFER_COLUMNS.includes(key));
  });

  it('keeps partner offers away from their own category and its substitutes', () => {
    for (const offer of demoCatalog({ ownOffers: 0, partnerOffers: 300 })) {
      assert.equal(offer.kind, 'partner');
      if (offer.kind !== 'partner') continue;
      const category = DEMO_CATEGORIES.find((c) => c.id === offer.category)!;
      assert.ok(category.brands.includes(offer.brand));
      assert.deepEqual(offer.neverNextTo, [category.id, ...category.substitutes]);
    }
  });

  it('has a symmetric adjacency over known categories', () => {
    assert.ok(CATEGORY_ADJACENCY['running-shoes']?.includes('running-socks'));
    assert.ok(CATEGORY_ADJACENCY['running-socks']?.includes('running-shoes'));
    assert.ok(CATEGORY_ADJACENCY['coffee-machines']?.includes('descaler'));
    const ids = new Set(DEMO_CATEGORIES.map((c) => c.id));
    for (const [id, adjacent] of Object.entries(CATEGORY_ADJACENCY)) {
      assert.ok(ids.has(id), id);
      for (const other of adjacent) assert.ok(CATEGORY_ADJACENCY[other]?.includes(id), `${other} → ${id}`);
    }
  });
});
