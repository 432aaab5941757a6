import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { momentSchedule, momentSpec } from '../router/seasonSchedules';
import { fanOutAudience, fanOutPlan } from '../engine/triggers/fanOut';
import { dateWaitUntil, parseOffset } from '../engine/interpreter/dateWait';
import { applyInput, nextWakeAt, startRun } from '../engine/interpreter/run';
import type { Profile } from '../engine/profile/profile';
import type { JourneyEvent, SeasonStarted } from '../schemas/events/schema';
import { loadPlaybooks } from '../schemas/playbook/load';
import type { Playbook, Step } from '../schemas/playbook/schema';
import { validatePlaybook } from '../schemas/playbook/validate';
import { InvalidPolicyError, loadSeasons } from '../schemas/policy/load';
import { MemoryAudienceIndexes } from '../simulator/audienceIndex';
import { customerEvent, orderPlaced } from './support/events';
import { tempDir, writePlaybook } from './support/playbooks';

const DAY = 86_400_000;
const playbooks = loadPlaybooks(`${__dirname}/../playbooks`);
const shipped = (id: string): Playbook => {
  const found = playbooks.find((p) => p.id === id);
  if (!found) throw new Error(`playbook ${id} is missing`);
  return found;
};

function renewalDue(renewsAt: string): JourneyEvent {
  return customerEvent('subscription.renewal_due', 'c-1', { subscriptionId: 'sub-1', renewsAt });
}

describe('waitUntilDate: a wait until a time the trigger carries', () => {
  const step = (offset: string, date = 'trigger.data.renewsAt') =>
    ({ id: 'w', type: 'waitUntilDate', date, offset }) as Extract<Step, { type: 'waitUntilDate' }>;
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads the date and moves it by a signed offset', () => {
    assert.equal(parseOffset('-14d'), -14 * DAY);
    assert.equal(parseOffset('+2h'), 2 * 3_600_000);
    assert.equal(parseOffset('3d'), 3 * DAY);
    const trigger = renewalDue('2026-02-01T10:00:00Z');
    assert.equal(dateWaitUntil(step('-14d'), trigger, now), Date.parse('2026-01-18T10:00:00Z'));
    assert.equal(dateWaitUntil(step('0s'), trigger, now), Date.parse('2026-02-01T10:00:00Z'));
  });

  it('continues at once when the time is past or the field is missing', () => {
    assert.equal(dateWaitUntil(step('-14d'), renewalDue('2026-01-10T00:00:00Z'), now), now);
    const noDate = customerEvent('subscription.renewal_due', 'c', {
      subscriptionId: 's',
      renewsAt: '2026-05-01T00:00:00Z',
    });
    assert.equal(dateWaitUntil(step('-1d', 'trigger.data.plan'), noDate, now), now);
  });

  it('the renewal playbook sleeps until renewsAt − 14d, computed by the interpreter', () => {
    const playbook = shipped('renewal-save');
    const trigger = renewalDue('2026-02-01T10:00:00Z');
    const start = startRun({ playbook, journeyId: 'j', customerId: 'c-1', trigger, arm: 'treatment' }, now);
    const profile: Profile = { customerId: 'c-1' };
    const after = applyInput(playbook, start.state, { kind: 'profileLoaded', profile }, now);
    assert.deepEqual(after.state.position, {
      kind: 'sleeping',
      stepId: 'before-benefits',
      until: Date.parse('2026-01-18T10:00:00Z'),
      then: 'benefits',
    });
    assert.equal(nextWakeAt(after.state), Date.parse('2026-01-18T10:00:00Z'));
  });

  it('the validator wants a timestamp field of the trigger, and says which there are', () => {
    const { issues } = validatePlaybook({
      ...shipped('renewal-save'),
      templates: {},
      steps: [
        { id: 'w', type: 'waitUntilDate', date: 'trigger.data.plan', offset: '-14d' },
        { id: 'done', type: 'exit' },
      ],
    });
    assert.deepEqual(issues, [
      {
        path: 'steps[0].date',
        message:
          'trigger.data.plan is not a time the trigger carries: a subscription.renewal_due has ' +
          'trigger.occurredAt, trigger.data.renewsAt (the wait continues at that time plus offset)',
      },
    ]);
    const bad = validatePlaybook({
      ...shipped('renewal-save'),
      steps: [{ id: 'w', type: 'waitUntilDate', date: 'trigger.data.renewsAt', offset: '14 days' }],
    });
    assert.match(bad.issues[0]?.message ?? '', /expected a duration before \(-14d\) or after \(\+2d\)/);
  });
});

describe('the seasonal calendar', () => {
  it('loads the shipped calendar', () => {
    const calendar = loadSeasons();
    assert.ok(calendar.moments.length >= 1);
    assert.equal(calendar.timezone, 'Europe/Stockholm');
  });

  it('reports a bad file as file: field: why, every problem at once', () => {
    const dir = tempDir();
    const file = writePlaybook(dir, 'seasons.yaml', {
      timezone: 'Mars/Olympus',
      moments: [
        { id: 'bf', name: 'Black Friday', yearly: { date: '02-30', time: '8am' }, cohort: { tags: ['x'] } },
        { id: 'bf', name: 'Twice', at: '2026-11-27T08:00:00+01:00', cohort: {} },
        {
          id: 'both',
          name: 'Both',
          at: '2026-11-27T08:00:00Z',
          yearly: { date: '11-27' },
          cohort: { tags: ['y'] },
        },
      ],
    });
    assert.throws(
      () => loadSeasons(file),
      (error: unknown) => {
        assert.ok(error instanceof InvalidPolicyError);
        assert.deepEqual(error.message.split('\n').sort(), [
          `${file}: moments[0].yearly.date: no such day in that month`,
          `${file}: moments[0].yearly.time: expected a 24-hour time such as 08:00`,
          `${file}: moments[1].cohort: empty: say whom it reaches with ordered, viewed, tiers or tags`,
          `${file}: moments[1].id: "bf" is used twice`,
          `${file}: moments[2]: say when: either at (one instant) or yearly (a date and time every year), not both`,
          `${file}: timezone: expected an IANA timezone such as Europe/Stockholm`,
        ]);
        return true;
      },
    );
  });

  it('a yearly moment is a calendar spec in the workspace timezone; a one-off is pinned to its year', () => {
    const calendar = loadSeasons();
    const bf = calendar.moments.find((m) => m.id === 'black-friday')!;
    assert.deepEqual(momentSpec(bf, calendar.timezone), {
      calendars: [{ month: 'NOVEMBER', dayOfMonth: 27, hour: 7, minute: 0, second: 0 }],
      timezone: 'Europe/Stockholm',
    });
    const once = { ...bf, yearly: undefined, at: '2026-11-27T08:00:00+01:00' };
    assert.deepEqual(momentSpec(once, calendar.timezone).calendars, [
      { year: 2026, month: 'NOVEMBER', dayOfMonth: 27, hour: 7, minute: 0, second: 0 },
    ]);
    const options = momentSchedule(bf, calendar, 'q');
    assert.equal(options.scheduleId, 'season:black-friday');
    assert.equal(options.action.args[0].momentId, 'black-friday');
  });
});

describe('season.started fans out to its cohort', () => {
  const at = Date.parse('2026-11-27T06:00:00Z');
  const moment: SeasonStarted = {
    type: 'season.started',
    eventId: 'season:bf:2026',
    occurredAt: new Date(at).toISOString(),
    data: {
      momentId: 'bf',
      name: 'Black Friday',
      startsAt: new Date(at).toISOString(),
      cohort: { ordered: { categories: ['outerwear'], within: '30d' }, tiers: ['gold'], tags: ['deal'] },
    },
  };

  it('plans the lookups from the event, measured back from when the moment started', () => {
    assert.deepEqual(fanOutPlan(shipped('seasonal-nudges'), moment), {
      categories: [{ kind: 'ordered', categories: ['outerwear'], since: at - 30 * DAY, until: at }],
      tiers: ['gold'],
      tags: ['deal'],
    });
    assert.equal(fanOutPlan(shipped('renewal-save'), moment), undefined);
  });

  it('reaches who ordered the category lately, the tier and the tag, each once', () => {
    const profiles = new Map<string, Profile>([
      ['gold', { customerId: 'gold', loyaltyTier: 'gold' }],
      ['tagged', { customerId: 'tagged', tags: ['deal'] }],
      ['plain', { customerId: 'plain' }],
    ]);
    const indexes = new MemoryAudienceIndexes(profiles);
    const coat = { sku: 'COAT', category: 'outerwear', price: 100, quantity: 1 };
    const tee = { sku: 'TEE', category: 'tops', price: 10, quantity: 1 };
    indexes.record(orderPlaced('recent', { items: [coat] }), at - 5 * DAY);
    indexes.record(orderPlaced('gold', { items: [coat] }), at - 5 * DAY);
    indexes.record(orderPlaced('old', { items: [coat] }), at - 60 * DAY);
    indexes.record(orderPlaced('other', { items: [tee] }), at - DAY);
    assert.deepEqual(fanOutAudience(shipped('seasonal-nudges'), moment, indexes), [
      'gold',
      'recent',
      'tagged',
    ]);
  });

  it('the validator keeps cohort for season.started and season.started to cohort', () => {
    const nudges = shipped('seasonal-nudges');
    const wrong = validatePlaybook({
      ...nudges,
      trigger: { event: 'season.started', fanOut: { to: ['tier'], tiers: ['gold'] } },
    });
    assert.equal(wrong.issues[0]?.path, 'trigger.fanOut.to');
    const missing = validatePlaybook({ ...nudges, trigger: { event: 'season.started' } });
    assert.match(missing.issues[0]?.message ?? '', /^missing: season.started has no customer/);
    const product = validatePlaybook({
      ...nudges,
      templates: { nudge: { subject: 'Back', text: 'Back', sms: 'Back' } },
      trigger: { event: 'product.back_in_stock', fanOut: { to: ['cohort'] } },
    });
    assert.match(product.issues[0]?.message ?? '', /^cohort is only for season.started/);
  });
});
