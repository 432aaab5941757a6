import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyCatalogChange, catalogChange, toProduct } from '../engine/catalog/catalogProjection';
import { applyInput, startRun } from '../engine/interpreter/run';
import type { Effect, RunInput, RunPolicy, StepResult } from '../engine/interpreter/types';
import type { Product } from '../engine/catalog/product';
import type { Profile } from '../engine/profile/profile';
import { applyMaxima, profileMaxima } from '../engine/profile/profileProjection';
import type { CatalogEvent, JourneyEvent } from '../schemas/events/schema';
import { Playbook, type Condition, type PlaybookInput } from '../schemas/playbook/schema';
import { validatePlaybook } from '../schemas/playbook/validate';
import { simulate } from '../simulator/simulate';
import type { InputIssue } from '../schemas/issues';
import { cartPlaybook } from './support/playbooks';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const HOUR = 3_600_000;
const SKU = 'SKU-SHIRT-01';
const iso = (t: number) => new Date(t).toISOString();

function catalogEvent<T extends CatalogEvent>(
  type: T['type'],
  data: T['data'],
  at: number,
  eventId?: string,
): T {
  return { type, eventId: eventId ?? `${type}-${at}`, occurredAt: iso(at), data } as T;
}

const restock = catalogEvent('product.back_in_stock', { sku: SKU, name: 'Linen shirt' }, T0);
const soldOut = (at: number) => catalogEvent('product.stock_changed', { sku: SKU, inStock: false }, at);
const inStock = { field: 'product.inStock', op: 'eq', value: true } as const satisfies Condition;
const notOrdered = { field: 'sinceTrigger.ordered', op: 'eq', value: false } as const satisfies Condition;

/** A restock email an hour after the event, re-checked at send time when `recheck` is given. */
function restockPlaybook(recheck?: Condition[], onCap: 'skip' | 'defer' = 'skip'): PlaybookInput {
  return {
    id: 'restock',
    name: 'Restock',
    version: 1,
    trigger: { event: 'product.back_in_stock', fanOut: { to: ['wishlisted'] } },
    maxDuration: '7d',
    holdout: 0,
    success: { metric: { event: 'order.placed' }, window: '7d' },
    templates: { back: { subject: '{{trigger.data.name}} is back', text: 'Have a look.' } },
    steps: [
      { id: 'wait', type: 'wait', duration: '1h' },
      {
        id: 'back',
        type: 'send',
        channel: 'email',
        template: 'back',
        onCap,
        ...(recheck !== undefined && { recheck }),
      },
    ],
  };
}

const profile: Profile = { customerId: 'c1', email: 'c1@example.test' };

/** Drives one run by hand: each call feeds the run an input and returns what it asks for next. */
class Run {
  readonly playbook: Playbook;
  result: StepResult;
  constructor(input: PlaybookInput, trigger: JourneyEvent = restock, policy?: RunPolicy) {
    this.playbook = Playbook.parse(input);
    const start = {
      playbook: this.playbook,
      journeyId: 'j',
      customerId: 'c1',
      trigger,
      arm: 'treatment' as const,
    };
    this.result = startRun(policy === undefined ? start : { ...start, policy }, T0);
  }
  feed(input: RunInput, at: number): Effect | undefined {
    this.result = applyInput(this.playbook, this.result.state, input, at);
    return this.result.effect;
  }
  get effect(): Effect | undefined {
    return this.result.effect;
  }
}

/** Loads the profile at entry, then sleeps through the wait: the run now asks for the send's profile. */
function atSend(run: Run, fresh: Profile = profile): Effect | undefined {
  run.feed({ kind: 'profileLoaded', profile: fresh }, T0);
  run.feed({ kind: 'wake' }, T0 + HOUR);
  return run.feed({ kind: 'profileLoaded', profile: fresh }, T0 + HOUR);
}

const shirt = (fields: Omit<Product, 'sku'>): Product => ({ sku: SKU, ...fields });

describe('re-checking a send at the moment of sending', () => {
  it('a send without recheck issues the same effects as before: profile, then deliver', () => {
    const run = new Run(restockPlaybook());
    assert.deepEqual(run.effect, { type: 'loadProfile', stepId: 'wait' });
    assert.equal(run.feed({ kind: 'profileLoaded', profile }, T0), undefined);
    assert.deepEqual(run.feed({ kind: 'wake' }, T0 + HOUR), { type: 'loadProfile', stepId: 'back' });
    const deliver = run.feed({ kind: 'profileLoaded', profile }, T0 + HOUR);
    assert.equal(deliver?.type, 'deliver');
    assert.equal(deliver?.type === 'deliver' && deliver.action, 'send');
  });

  it('loads the trigger’s product after the profile, and sends while it is still in stock', () => {
    const run = new Run(restockPlaybook([inStock]));
    assert.deepEqual(atSend(run), { type: 'loadProducts', stepId: 'back', skus: [SKU] });
    const deliver = run.feed({ kind: 'productsLoaded', products: [shirt({ inStock: true })] }, T0 + HOUR);
    assert.equal(deliver?.type === 'deliver' && deliver.action, 'send');
    assert.deepEqual(
      run.result.decisions.map((d) => d.action),
      ['send'],
    );
  });

  it('suppresses a send whose product sold out meanwhile as stale, and the run goes on', () => {
    const run = new Run(restockPlaybook([inStock]));
    atSend(run);
    const deliver = run.feed({ kind: 'productsLoaded', products: [shirt({ inStock: false })] }, T0 + HOUR);
    assert.deepEqual(deliver && { ...deliver, template: undefined }, {
      type: 'deliver',
      stepId: 'back',
      idempotencyKey: `restock:c1:${restock.eventId}:back`,
      action: 'suppress',
      reason: 'stale:product.inStock',
      channel: 'email',
      to: 'c1@example.test',
      template: undefined,
      purpose: 'marketing',
    });
    assert.deepEqual(
      run.result.decisions.map((d) => [d.action, d.reason]),
      [['suppress', 'stale:product.inStock']],
    );
    run.feed({ kind: 'delivered', status: 'suppressed', reason: 'stale:product.inStock' }, T0 + HOUR);
    assert.deepEqual(run.result.state.outcome, { status: 'completed' });
  });

  it('treats a product the catalog does not know as not in stock', () => {
    const run = new Run(restockPlaybook([inStock]));
    atSend(run);
    const deliver = run.feed({ kind: 'productsLoaded', products: [] }, T0 + HOUR);
    assert.equal(deliver?.type === 'deliver' && deliver.reason, 'stale:product.inStock');
  });

  it('a price that went back up makes a price-drop message stale', () => {
    const input = restockPlaybook([
      { field: 'product.price', op: 'lte', value: { ref: 'trigger.data.newPrice' } },
    ]);
    const drop = catalogEvent(
      'product.price_dropped',
      { sku: SKU, oldPrice: 40, newPrice: 30, currency: 'EUR' },
      T0,
    );
    const playbook = {
      ...input,
      trigger: { event: 'product.price_dropped' as const, fanOut: { to: ['wishlisted' as const] } },
    };
    const still = new Run(playbook, drop);
    atSend(still);
    const sent = still.feed(
      { kind: 'productsLoaded', products: [shirt({ price: 29, currency: 'EUR' })] },
      T0 + HOUR,
    );
    assert.equal(sent?.type === 'deliver' && sent.action, 'send');
    const back = new Run(playbook, drop);
    atSend(back);
    const stale = back.feed(
      { kind: 'productsLoaded', products: [shirt({ price: 40, currency: 'EUR' })] },
      T0 + HOUR,
    );
    assert.equal(stale?.type === 'deliver' && stale.reason, 'stale:product.price');
  });

  it('an order after the trigger, by any channel, makes the send stale without loading products', () => {
    const run = new Run(restockPlaybook([notOrdered]));
    const before = { ...profile, lastOrderAt: iso(T0 - HOUR) };
    assert.equal(atSend(run, before)?.type, 'deliver', 'an order before the trigger does not count');
    const after = new Run(restockPlaybook([notOrdered]));
    const deliver = atSend(after, { ...profile, lastOrderAt: iso(T0 + HOUR / 2) });
    assert.equal(deliver?.type === 'deliver' && deliver.reason, 'stale:sinceTrigger.ordered');
  });

  it('checks again on every attempt: fresh when first tried, stale when a cap deferral ends', () => {
    const policy: RunPolicy = {
      caps: [{ channel: 'email', max: 1, window: { rolling: '1d' } }],
      quietHours: [],
      timezone: 'UTC',
      weekStartsOn: 'mon',
      maxDeferralMs: 7 * 24 * HOUR,
    };
    const run = new Run(restockPlaybook([inStock], 'defer'), restock, policy);
    atSend(run);
    const reserve = run.feed({ kind: 'productsLoaded', products: [shirt({ inStock: true })] }, T0 + HOUR);
    assert.equal(reserve?.type, 'reserveSlot');
    const freesAt = T0 + 5 * HOUR;
    run.feed({ kind: 'slotRefused', rule: 'email ≤ 1 per day', freesAt }, T0 + HOUR);
    assert.equal(run.result.state.position.kind, 'deferred');
    // When the cap frees up, the same send starts over on a fresh profile and fresh products.
    assert.deepEqual(run.feed({ kind: 'wake' }, freesAt), { type: 'loadProfile', stepId: 'back' });
    assert.deepEqual(run.feed({ kind: 'profileLoaded', profile }, freesAt), {
      type: 'loadProducts',
      stepId: 'back',
      skus: [SKU],
    });
    const deliver = run.feed({ kind: 'productsLoaded', products: [shirt({ inStock: false })] }, freesAt);
    assert.equal(deliver?.type === 'deliver' && deliver.action, 'suppress');
    assert.equal(deliver?.type === 'deliver' && deliver.reason, 'stale:product.inStock');
  });

  it('a control customer’s record says stale rather than holdout, so the arms stay comparable', () => {
    const playbook = Playbook.parse(restockPlaybook([inStock]));
    let result = startRun(
      { playbook, journeyId: 'j', customerId: 'c1', trigger: restock, arm: 'control' },
      T0,
    );
    result = applyInput(playbook, result.state, { kind: 'profileLoaded', profile }, T0);
    result = applyInput(playbook, result.state, { kind: 'wake' }, T0 + HOUR);
    result = applyInput(playbook, result.state, { kind: 'profileLoaded', profile }, T0 + HOUR);
    result = applyInput(playbook, result.state, { kind: 'productsLoaded', products: [] }, T0 + HOUR);
    assert.deepEqual(
      result.decisions.map((d) => [d.action, d.reason]),
      [['suppress', 'stale:product.inStock']],
    );
  });
});

describe('the catalog state and the profile’s last order', () => {
  const apply = (events: CatalogEvent[]) =>
    events.reduce<ReturnType<typeof applyCatalogChange> | undefined>(
      (state, event) => applyCatalogChange(state, catalogChange(event)),
      undefined,
    );

  it('an older event does not overwrite newer state, part by part', () => {
    const drop = catalogEvent(
      'product.price_dropped',
      { sku: SKU, oldPrice: 40, newPrice: 30, currency: 'EUR' },
      T0,
    );
    // Arrival order: sold out (newest), then the restock and the price drop that happened before it.
    const state = apply([soldOut(T0 + HOUR), restock, drop]);
    assert.deepEqual(toProduct(state!), { sku: SKU, inStock: false, price: 30, currency: 'EUR' });
    assert.deepEqual(toProduct(apply([restock, soldOut(T0 + HOUR), restock])!), { sku: SKU, inStock: false });
  });

  it('keeps the latest order whatever order the events arrive in', () => {
    const order = (at: number) =>
      profileMaxima({
        type: 'order.placed',
        eventId: `o-${at}`,
        customerId: 'c1',
        occurredAt: iso(at),
        data: {
          orderId: `o-${at}`,
          items: [{ sku: SKU, category: 'shirts', price: 30, quantity: 1 }],
          total: 30,
          currency: 'EUR',
          salesChannel: 'store',
        },
      })!;
    const later = applyMaxima(applyMaxima(profile, order(T0 + HOUR)), order(T0));
    assert.equal(later.lastOrderAt, iso(T0 + HOUR));
  });
});

describe('validating recheck', () => {
  const issuesOf = (input: PlaybookInput) => validatePlaybook(input).issues;
  const oneIssue = (issues: InputIssue[], path: string, message: RegExp) => {
    assert.equal(issues.length, 1, issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
    assert.equal(issues[0]?.path, path);
    assert.match(issues[0]?.message ?? '', message);
  };

  it('accepts product. and sinceTrigger. in a send step’s recheck', () => {
    assert.deepEqual(issuesOf(restockPlaybook([inStock, notOrdered])), []);
  });

  it('names the field and suggests the right one', () => {
    oneIssue(
      issuesOf(restockPlaybook([{ field: 'product.instock', op: 'eq', value: true }])),
      'steps[1].recheck[0].field',
      /^reads product\.instock, which is not a product field \(did you mean product\.inStock\?\)$/,
    );
    oneIssue(
      issuesOf(restockPlaybook([inStock, { not: { field: 'sinceTrigger.orders', op: 'exists' } }])),
      'steps[1].recheck[1].not.field',
      /^reads sinceTrigger\.orders, which is not a sinceTrigger field \(did you mean sinceTrigger\.ordered\?\)$/,
    );
  });

  it('explains that a cart names no single product', () => {
    const cart = cartPlaybook();
    const steps = cart.steps.map((step) => (step.type === 'send' ? { ...step, recheck: [inStock] } : step));
    oneIssue(
      issuesOf({ ...cart, steps }),
      'steps[1].recheck[0].field',
      /^reads product\.inStock, but cart\.updated events name no product: .*triggers with one: product\.viewed, wishlist\.added, .*product\.back_in_stock/,
    );
  });

  it('explains that catalog state is only read at send time', () => {
    const cart = cartPlaybook();
    oneIssue(
      issuesOf({ ...cart, audience: notOrdered }),
      'audience.field',
      /^reads sinceTrigger\.ordered, which only a send step's recheck can read/,
    );
  });
});

describe('the simulator re-checks too', () => {
  it('a restock that sold out again before the email is suppressed; one still in stock is sent', () => {
    const playbook = Playbook.parse(restockPlaybook([inStock]));
    const wish = (customerId: string): JourneyEvent => ({
      type: 'wishlist.added',
      eventId: `w-${customerId}`,
      customerId,
      occurredAt: iso(T0 - 24 * HOUR),
      data: { sku: SKU },
    });
    const people = ['ann', 'ben'].map((id): JourneyEvent => ({
      type: 'customer.upserted',
      eventId: `u-${id}`,
      customerId: id,
      occurredAt: iso(T0 - 48 * HOUR),
      data: { email: `${id}@example.test` },
    }));
    const base = [...people, wish('ann'), wish('ben'), restock];
    const decided = (events: JourneyEvent[]) =>
      simulate(events, { playbooks: [playbook], holdout: { epoch: 1, salt: 's', globalControlPercent: 0 } })
        .decisions.filter((d) => d.step === 'back')
        .map((d) => [d.customerId, d.action, d.reason ?? '']);
    assert.deepEqual(decided(base), [
      ['ann', 'send', ''],
      ['ben', 'send', ''],
    ]);
    assert.deepEqual(decided([...base, soldOut(T0 + HOUR / 2)]), [
      ['ann', 'suppress', 'stale:product.inStock'],
      ['ben', 'suppress', 'stale:product.inStock'],
    ]);
  });
});
