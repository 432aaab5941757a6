import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daytimeZone, zoneWhereHourIs } from '../tools/devstack/sampleCustomers';

/*
 * Tests on a clock they cannot stop (the dev server's, the time-skipping server's between skips) and
 * the demo put a customer in a zone where the run lands at the hour the scenario needs. That only
 * holds if the zone is right at every hour of the day, on every date: checked here for each hour,
 * minute 0 and 59, around a DST change (fixed-offset zones have none) and a year end.
 */
describe('zones that put a customer’s clock at a given hour', () => {
  const localHour = (zone: string, at: number) =>
    Number(
      new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: zone }).format(at),
    );
  const days = ['2026-12-08', '2027-03-28', '2027-10-31', '2026-12-31', '2028-02-29'];

  it('zoneWhereHourIs gives the wanted local hour at every UTC hour', () => {
    for (const day of days)
      for (let utc = 0; utc < 24; utc++)
        for (const minute of [0, 59]) {
          const at = Date.parse(
            `${day}T${String(utc).padStart(2, '0')}:${String(minute).padStart(2, '0')}:59Z`,
          );
          for (let hour = 0; hour < 24; hour++) {
            const zone = zoneWhereHourIs(hour, at);
            assert.equal(localHour(zone, at), hour, `${zone} at ${new Date(at).toISOString()}`);
          }
        }
  });

  it('daytimeZone is noon local, outside the shipped SMS quiet hours (21:00–08:00), at every hour', () => {
    for (let utc = 0; utc < 24; utc++) {
      const at = Date.parse(`2026-12-08T${String(utc).padStart(2, '0')}:50:00Z`);
      assert.equal(localHour(daytimeZone(at), at), 12, new Date(at).toISOString());
    }
  });
});
