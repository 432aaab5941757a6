import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customerTimeZone, quietUntil } from '../engine/interpreter/sendPolicy';
import type { RunPolicy, RunState } from '../engine/interpreter/types';
import { timeZoneOfPhone } from '../engine/profile/phoneTimeZone';
import { CALLING_CODE_ZONES } from '../engine/profile/phoneTimeZones.data';
import type { Profile } from '../engine/profile/profile';
import { cartUpdated } from './support/events';

describe('timeZoneOfPhone', () => {
  it('gives the zone of single-zone countries, whatever the separators', () => {
    assert.equal(timeZoneOfPhone('+46701234567'), 'Europe/Stockholm');
    assert.equal(timeZoneOfPhone('+44 (0)20 7946 0018'), 'Europe/London');
    assert.equal(timeZoneOfPhone(' +49-30-901820 '), 'Europe/Berlin');
    assert.equal(timeZoneOfPhone('+353 85 123 4567'), 'Europe/Dublin');
    assert.equal(timeZoneOfPhone('+81 90-1234-5678'), 'Asia/Tokyo');
    assert.equal(timeZoneOfPhone('+91 98765 43210'), 'Asia/Kolkata');
    assert.equal(timeZoneOfPhone('+65 8123 4567'), 'Asia/Singapore');
    assert.equal(timeZoneOfPhone('+27 82 123 4567'), 'Africa/Johannesburg');
    assert.equal(timeZoneOfPhone('+971 50 123 4567'), 'Asia/Dubai');
    assert.equal(timeZoneOfPhone('+234 803 123 4567'), 'Africa/Lagos');
    assert.equal(timeZoneOfPhone('+54 9 11 2345 6789'), 'America/Argentina/Buenos_Aires');
    assert.equal(timeZoneOfPhone('+57 301 234 5678'), 'America/Bogota');
  });

  it('tells NANP area codes apart across the US, Canada and the Caribbean', () => {
    const cases: [string, string][] = [
      ['+1 212 555 0123', 'America/New_York'],
      ['+1 (312) 555-0123', 'America/Chicago'],
      ['+1 303 555 0123', 'America/Denver'],
      ['+1 602 555 0123', 'America/Phoenix'],
      ['+1 415 555 0123', 'America/Los_Angeles'],
      ['+1 907 555 0123', 'America/Anchorage'],
      ['+1 808 555 0123', 'Pacific/Honolulu'],
      ['+1 416 555 0123', 'America/Toronto'],
      ['+1 514 555 0123', 'America/Toronto'],
      ['+1 204 555 0123', 'America/Winnipeg'],
      ['+1 306 555 0123', 'America/Regina'],
      ['+1 403 555 0123', 'America/Edmonton'],
      ['+1 778 555 0123', 'America/Vancouver'],
      ['+1 902 555 0123', 'America/Halifax'],
      ['+1 709 722 0123', 'America/St_Johns'],
      ['+1 709 896 0123', 'America/Goose_Bay'], // Happy Valley-Goose Bay, Labrador, within 709
      ['+1 787 555 0123', 'America/Puerto_Rico'],
      ['+1 876 555 0123', 'America/Jamaica'],
    ];
    for (const [phone, zone] of cases) assert.equal(timeZoneOfPhone(phone), zone, phone);
  });

  it('maps regions where the prefix says where, and the outlying pocket that has its own prefix', () => {
    assert.equal(timeZoneOfPhone('+61 2 9374 4000'), 'Australia/Sydney');
    assert.equal(timeZoneOfPhone('+61 3 9650 1234'), 'Australia/Melbourne');
    assert.equal(timeZoneOfPhone('+61 7 3224 1234'), 'Australia/Brisbane');
    assert.equal(timeZoneOfPhone('+55 11 91234 5678'), 'America/Sao_Paulo');
    assert.equal(timeZoneOfPhone('+55 92 91234 5678'), 'America/Manaus');
    assert.equal(timeZoneOfPhone('+52 55 1234 5678'), 'America/Mexico_City');
    assert.equal(timeZoneOfPhone('+52 1 664 123 4567'), 'America/Tijuana'); // older mobile form
    assert.equal(timeZoneOfPhone('+34 91 123 45 67'), 'Europe/Madrid');
    assert.equal(timeZoneOfPhone('+34 922 12 34 56'), 'Atlantic/Canary');
    assert.equal(timeZoneOfPhone('+351 296 123 456'), 'Atlantic/Azores');
    assert.equal(timeZoneOfPhone('+351 912 345 678'), 'Europe/Lisbon');
    assert.equal(timeZoneOfPhone('+64 21 123 4567'), 'Pacific/Auckland');
    assert.equal(timeZoneOfPhone('+64 3 305 0123'), 'Pacific/Chatham');
    assert.equal(timeZoneOfPhone('+90 532 123 4567'), 'Europe/Istanbul');
    assert.equal(timeZoneOfPhone('+7 495 123 4567'), 'Europe/Moscow');
    assert.equal(timeZoneOfPhone('+7 701 234 5678'), 'Asia/Almaty');
  });

  it('gives no answer where the number spans zones', () => {
    for (const phone of [
      '+1 850 555 0123', // Florida panhandle: Eastern and Central
      '+1 928 555 0123', // northern Arizona: the Navajo Nation keeps DST
      '+1 867 555 0123', // Canada's territories
      '+61 8 9222 1234', // Perth or Adelaide
      '+61 412 345 678', // Australian mobile
      '+34 612 345 678', // Spanish mobile: mainland or Canaries
      '+7 912 345 6789', // Russian mobile
      '+55 97 91234 5678', // western Amazonas
      '+52 123 456 7890', // a Mexican code not in the table
      '+243 81 234 5678', // DR Congo: two zones
    ]) {
      assert.equal(timeZoneOfPhone(phone), undefined, phone);
    }
  });

  it('gives no answer for what is not an E.164 number', () => {
    for (const phone of [
      '',
      'not a phone',
      '2125550123', // no +: national and international forms cannot be told apart
      '0046701234567',
      '+',
      '+0 212 555 0123',
      '+1 212 555 012', // too short for the NANP
      '+1 212 055 0123', // exchanges never start with 0
      '+1 555 555 0123', // not an area code
      '+1 800 555 0123', // toll-free: no place
      '+46 70 123 45 67 ext 5',
      '+4670123456789012', // 16 digits
      '++46701234567',
      '+999 1234 5678', // not a calling code
    ]) {
      assert.equal(timeZoneOfPhone(phone), undefined, JSON.stringify(phone));
    }
  });

  it('only names zones this runtime knows, under prefix-free calling codes', () => {
    const zones = new Set<string>();
    for (const entry of Object.values(CALLING_CODE_ZONES)) {
      for (const zone of typeof entry === 'string' ? [entry] : Object.values(entry)) {
        if (zone !== null) zones.add(zone);
      }
    }
    for (const zone of zones) {
      assert.doesNotThrow(() => new Intl.DateTimeFormat('en-US', { timeZone: zone }), zone);
    }
    const codes = Object.keys(CALLING_CODE_ZONES);
    for (const code of codes) {
      const shadowed = codes.filter((other) => other !== code && other.startsWith(code));
      assert.deepEqual(shadowed, [], `calling code ${code} is a prefix of ${shadowed.join(', ')}`);
    }
  });
});

describe('customerTimeZone', () => {
  const policy: RunPolicy = {
    caps: [],
    quietHours: [{ channel: 'sms', from: '21:00', to: '08:00' }],
    timezone: 'Europe/Stockholm',
    weekStartsOn: 'mon',
    maxDeferralMs: 86_400_000,
    timeZoneFromPhone: true,
  };

  function runFor(profile: Omit<Profile, 'customerId'> | undefined): RunState {
    const trigger = cartUpdated('c-1');
    return {
      journeyId: 'journey:cart-abandonment:c-1',
      runKey: `cart-abandonment:c-1:${trigger.eventId}`,
      playbookId: 'cart-abandonment',
      playbookVersion: 1,
      customerId: 'c-1',
      arm: 'treatment',
      trigger,
      entryEventId: trigger.eventId,
      enteredAt: 0,
      deadline: 0,
      ...(profile && { profile: { customerId: 'c-1', ...profile } }),
      position: { kind: 'at', stepId: 'send' },
      paused: false,
      visits: {},
      seenEventIds: [],
      policy,
    };
  }

  it('takes the profile’s timezone over the phone’s, and the phone’s over the workspace default', () => {
    assert.equal(
      customerTimeZone(runFor({ timezone: 'Asia/Tokyo', phone: '+12125550123' }), policy),
      'Asia/Tokyo',
    );
    assert.equal(customerTimeZone(runFor({ phone: '+12125550123' }), policy), 'America/New_York');
    assert.equal(customerTimeZone(runFor({ phone: '+61 8 9222 1234' }), policy), 'Europe/Stockholm');
    assert.equal(customerTimeZone(runFor({ phone: 'call me' }), policy), 'Europe/Stockholm');
    assert.equal(customerTimeZone(runFor({ email: 'a@example.com' }), policy), 'Europe/Stockholm');
    assert.equal(customerTimeZone(runFor(undefined), policy), 'Europe/Stockholm');
    // A run that entered before the phone lookup existed keeps the workspace default, so it replays.
    const { timeZoneFromPhone: _new, ...older } = policy;
    assert.equal(customerTimeZone(runFor({ phone: '+12125550123' }), older), 'Europe/Stockholm');
  });

  it('keeps an unusable profile timezone meaning UTC, as before', () => {
    assert.equal(
      customerTimeZone(runFor({ timezone: 'Mars/Olympus', phone: '+12125550123' }), policy),
      'UTC',
    );
  });

  it('holds an SMS to a New York number in New York’s quiet hours, not the workspace’s', () => {
    const noonUtc = Date.parse('2025-01-15T12:00:00Z'); // 13:00 in Stockholm, 07:00 in New York
    assert.equal(
      quietUntil(runFor({ phone: '+1 212 555 0123' }), policy, 'sms', false, noonUtc),
      Date.parse('2025-01-15T13:00:00Z'), // 08:00 in New York
    );
    assert.equal(quietUntil(runFor({}), policy, 'sms', false, noonUtc), noonUtc);
  });
});
