import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { fixedHoldout } from '../router/holdoutSource';
import { JourneyClient } from '../router/journeyClient';
import { forEachConcurrently } from '../router/pool';
import { ReachedRuns } from '../router/reachedRuns';
import {
  fanOutAudience,
  fanOutPlan,
  type AudienceIndexes,
  type Interaction,
} from '../engine/triggers/fanOut';
import type { CatalogEvent } from '../schemas/events/schema';
import { Playbook, type PlaybookInput } from '../schemas/playbook/schema';
import { validatePlaybook } from '../schemas/playbook/validate';
import type { Collections } from '../store/collections';
import type { InputIssue } from '../schemas/issues';
import { cartPlaybook } from './support/playbooks';

const DAY = 86_400_000;

/** The cart test playbook, triggered instead by `trigger` and mailing a catalog-safe template. */
function catalogPlaybook(trigger: PlaybookInput['trigger']): PlaybookInput {
  const { exit: _exit, ...playbook } = cartPlaybook();
  return {
    ...playbook,
    trigger,
    templates: { reminder: { subject: '{{trigger.data.sku}} is back', text: 'Have a look.', sms: 'Back.' } },
  };
}

function assertOneIssue(issues: InputIssue[], path: string, message: RegExp): void {
  assert.equal(issues.length, 1, issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  assert.equal(issues[0]?.path, path);
  assert.match(issues[0]?.message ?? '', message);
}

describe('validating fanOut', () => {
  const issues = (trigger: PlaybookInput['trigger']) => validatePlaybook(catalogPlaybook(trigger)).issues;

  it('accepts catalog triggers that say whom they reach, with lookback defaulting to 90d', () => {
    const checked = validatePlaybook(
      catalogPlaybook({ event: 'product.back_in_stock', fanOut: { to: ['wishlisted', 'viewed'] } }),
    );
    assert.deepEqual(checked.issues, []);
    assert.equal(checked.playbook?.trigger.fanOut?.lookback, '90d');
    assert.deepEqual(
      issues({ event: 'product.price_dropped', fanOut: { to: ['tier'], tiers: ['gold', 'platinum'] } }),
      [],
    );
    // A launch can take its tiers from the event's earlyAccessTiers.
    assert.deepEqual(issues({ event: 'product.launched', fanOut: { to: ['tier'] } }), []);
  });

  it('requires fanOut on a catalog trigger', () => {
    assertOneIssue(
      issues({ event: 'product.back_in_stock' }),
      'trigger.fanOut',
      /^missing: product.back_in_stock has no customer, so say whom it reaches/,
    );
  });

  it('rejects fanOut on a customer event', () => {
    assertOneIssue(
      validatePlaybook({
        ...cartPlaybook(),
        trigger: { event: 'cart.updated', fanOut: { to: ['viewed'] } },
      }).issues,
      'trigger.fanOut',
      /^only for events without a customer \(product.back_in_stock, .*\): cart.updated already names its customer/,
    );
  });

  it('requires tiers for tier on events other than a launch, and tier for tiers', () => {
    assertOneIssue(
      issues({ event: 'product.price_dropped', fanOut: { to: ['wishlisted', 'tier'] } }),
      'trigger.fanOut.tiers',
      /^missing: fanOut.to includes tier/,
    );
    assertOneIssue(
      issues({ event: 'product.launched', fanOut: { to: ['viewed'], tiers: ['gold'] } }),
      'trigger.fanOut.tiers',
      /^only used when fanOut.to includes tier/,
    );
  });

  it('checks the shape: known audiences, at least one, a duration', () => {
    const shape = (fanOut: unknown) =>
      issues({ event: 'product.back_in_stock', fanOut } as PlaybookInput['trigger']).map((i) => i.path);
    assert.deepEqual(shape({ to: ['friends'] }), ['trigger.fanOut.to[0]']);
    assert.deepEqual(shape({ to: [] }), ['trigger.fanOut.to']);
    assert.deepEqual(shape({ to: ['viewed'], lookback: '3 months' }), ['trigger.fanOut.lookback']);
  });

  it('the client refuses a playbook built in code that no catalog event could route', () => {
    const playbook = Playbook.parse(catalogPlaybook({ event: 'product.launched' }));
    assert.throws(
      () =>
        new JourneyClient({
          temporal: {} as Client,
          collections: {} as Collections,
          taskQueue: 'q',
          playbooks: [playbook],
          holdout: fixedHoldout({ epoch: 1, salt: 's', globalControlPercent: 0 }),
        }),
      /test-cart: trigger.fanOut: missing/,
    );
  });
});

describe('the fan-out rule', () => {
  const at = Date.parse('2026-03-01T12:00:00Z');
  const restock: CatalogEvent = {
    eventId: 'e1',
    type: 'product.back_in_stock',
    occurredAt: new Date(at).toISOString(),
    data: { sku: 'SKU-1' },
  };
  const launch: CatalogEvent = {
    eventId: 'e2',
    type: 'product.launched',
    occurredAt: new Date(at).toISOString(),
    data: { sku: 'SKU-2', name: 'New', earlyAccessTiers: ['gold'] },
  };
  const playbook = (trigger: PlaybookInput['trigger']) => Playbook.parse(catalogPlaybook(trigger));

  /** Answers from fixed rows, recording what was asked. */
  function indexes(rows: { id: string; sku: string; kind: Interaction; at: number; tier?: string }[]) {
    const asked: unknown[] = [];
    const fake: AudienceIndexes = {
      interactions: (sku, kinds, since, until) => {
        asked.push({ sku, kinds, since, until });
        return rows
          .filter((r) => r.sku === sku && kinds.includes(r.kind) && r.at >= since && r.at <= until)
          .map((r) => r.id);
      },
      customersInTiers: (tiers) => {
        asked.push({ tiers });
        return rows.filter((r) => r.tier !== undefined && tiers.includes(r.tier)).map((r) => r.id);
      },
      // Cohorts (seasonal moments) are covered in test/seasonCalendar.test.ts.
      categoryActivity: () => [],
      customersWithTags: () => [],
    };
    return { fake, asked };
  }

  it('plans the window from when the event happened, and tiers from the playbook or the launch', () => {
    const viewers = playbook({ event: 'product.back_in_stock', fanOut: { to: ['viewed'], lookback: '30d' } });
    assert.deepEqual(fanOutPlan(viewers, restock), {
      sku: 'SKU-1',
      interactions: { kinds: ['viewed'], since: at - 30 * DAY, until: at },
    });
    assert.equal(fanOutPlan(viewers, launch), undefined, 'the playbook is not triggered by launches');
    const early = playbook({ event: 'product.launched', fanOut: { to: ['tier'] } });
    assert.deepEqual(fanOutPlan(early, launch), { sku: 'SKU-2', tiers: ['gold'] });
    const fixed = playbook({ event: 'product.launched', fanOut: { to: ['tier'], tiers: ['platinum'] } });
    assert.deepEqual(fanOutPlan(fixed, launch), { sku: 'SKU-2', tiers: ['platinum'] });
    const noTiers = { ...launch, data: { sku: 'SKU-2', name: 'New' } } as CatalogEvent;
    assert.deepEqual(fanOutPlan(early, noTiers), { sku: 'SKU-2' }, 'a launch without tiers reaches no tier');
  });

  it('returns the customers concerned, sorted, each once', () => {
    const { fake } = indexes([
      { id: 'c', sku: 'SKU-1', kind: 'wishlisted', at: at - DAY },
      { id: 'a', sku: 'SKU-1', kind: 'viewed', at: at - 2 * DAY },
      { id: 'c', sku: 'SKU-1', kind: 'viewed', at: at - 3 * DAY },
      { id: 'b', sku: 'SKU-9', kind: 'viewed', at: at - DAY },
      { id: 'd', sku: 'SKU-1', kind: 'viewed', at: at - 200 * DAY },
      { id: 'e', sku: 'SKU-1', kind: 'viewed', at: at + DAY },
      { id: 'b', sku: 'SKU-0', kind: 'viewed', at, tier: 'gold' },
    ]);
    const both = playbook({ event: 'product.back_in_stock', fanOut: { to: ['wishlisted', 'viewed'] } });
    assert.deepEqual(fanOutAudience(both, restock, fake), ['a', 'c']);
    const withTier = playbook({
      event: 'product.back_in_stock',
      fanOut: { to: ['viewed', 'tier'], tiers: ['gold'] },
    });
    assert.deepEqual(fanOutAudience(withTier, restock, fake), ['a', 'b', 'c']);
  });
});

describe('fan-out helpers', () => {
  it('forEachConcurrently never runs more than the limit at once and reads the source lazily', async () => {
    let running = 0;
    let peak = 0;
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 50; i += 1) {
        await Promise.resolve(); // as a cursor fetching a page would
        pulled += 1;
        yield i;
      }
    }
    const done: number[] = [];
    await forEachConcurrently(source(), 4, async (i) => {
      running += 1;
      peak = Math.max(peak, running);
      assert.ok(pulled - done.length <= 4 + 1, 'items are pulled only as slots free up');
      await new Promise((resolve) => setTimeout(resolve, i % 3));
      done.push(i);
      running -= 1;
    });
    assert.equal(peak, 4);
    assert.deepEqual(
      [...done].sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  it('forEachConcurrently stops after a failure, closes the source and throws the error', async () => {
    let closed = false;
    let started = 0;
    async function* source() {
      try {
        for (let i = 0; ; i += 1) {
          await Promise.resolve();
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    await assert.rejects(
      forEachConcurrently(source(), 3, async (i) => {
        started += 1;
        await Promise.resolve();
        if (i === 5) throw new Error('boom');
      }),
      /boom/,
    );
    assert.ok(closed);
    assert.ok(started < 10, `started ${started} tasks after the failure`);
  });

  it('ReachedRuns keeps the first IDs in order and counts them all', () => {
    const reached = new ReachedRuns(3);
    for (const id of ['j:e', 'j:b', 'j:f', 'j:a', 'j:d', 'j:c', 'j:g']) reached.add([id]);
    reached.add([]);
    assert.deepEqual(reached.first(), ['j:a', 'j:b', 'j:c']);
    assert.equal(reached.count, 7);
  });
});
