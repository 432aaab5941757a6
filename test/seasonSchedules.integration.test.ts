import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createPublishEvent } from '../activities/publishEvent';
import { SEASON_SCHEDULE_PREFIX, syncSeasonSchedules } from '../router/seasonSchedules';
import { freePort } from '../tools/devstack/net';
import { startTemporalDevServer, type TemporalDevServer } from '../tools/devstack/temporal';
import { SeasonCalendar } from '../schemas/policy/seasons';
import { MemoryPublisher } from './support/memoryPublisher';
import { tempDir } from './support/servers';

/*
 * Temporal Schedules for seasonal moments, on the Temporal CLI dev server: the Java time-skipping
 * server does not implement schedules (CreateSchedule fails there). The fan-out that follows a
 * moment is tested on the time-skipping server (renewalSeasonal.timeSkipping.test.ts).
 */
describe('seasonal moment schedules on the Temporal CLI dev server', () => {
  const dir = tempDir('journeys-seasons');
  let server: TemporalDevServer;
  let connection: Connection;
  let client: Client;
  const taskQueue = `journeys-seasons-${Date.now()}`;

  before(async () => {
    server = await startTemporalDevServer({
      dataDir: dir.path,
      port: await freePort(),
      uiPort: await freePort(),
    });
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });
  });
  after(async () => {
    await connection?.close();
    await server?.stop();
    dir.remove();
  });

  const calendar = (moments: unknown[]) => SeasonCalendar.parse({ timezone: 'Europe/Stockholm', moments });
  const cohort = { tiers: ['gold'] };
  const listed = async () => {
    const ids: string[] = [];
    for await (const s of client.schedule.list())
      if (s.scheduleId.startsWith(SEASON_SCHEDULE_PREFIX)) ids.push(s.scheduleId);
    return ids.sort();
  };

  it('sync creates one schedule per moment, then updates and deletes them to match the file', async () => {
    const first = calendar([
      { id: 'black-friday', name: 'Black Friday', yearly: { date: '11-27', time: '07:00' }, cohort },
      { id: 'launch-2027', name: 'Spring launch', at: '2027-03-01T08:00:00+01:00', cohort },
    ]);
    assert.deepEqual(await syncSeasonSchedules(client, first, taskQueue), {
      created: ['season:black-friday', 'season:launch-2027'],
      updated: [],
      deleted: [],
    });
    const bf = await client.schedule.getHandle('season:black-friday').describe();
    assert.equal(bf.spec.timezone, 'Europe/Stockholm');
    assert.deepEqual(bf.spec.calendars?.[0]?.month, [{ start: 'NOVEMBER', end: 'NOVEMBER', step: 1 }]);
    assert.equal(bf.action.type, 'startWorkflow');
    assert.equal(bf.action.workflowType, 'seasonalMomentWorkflow');
    assert.equal(bf.action.taskQueue, taskQueue);
    assert.deepEqual(bf.action.args, [{ momentId: 'black-friday', name: 'Black Friday', cohort }]);
    const next = bf.info.nextActionTimes[0];
    assert.ok(next && next.getUTCMonth() === 10 && next.getUTCDate() === 27 && next.getUTCHours() === 6);

    // Visibility is eventually consistent: wait until both are listed, so the next sync sees them.
    for (let i = 0; i < 50 && (await listed()).length < 2; i++) await sleep(200);
    const second = calendar([
      { id: 'black-friday', name: 'Black Friday', yearly: { date: '11-28', time: '06:30' }, cohort },
    ]);
    assert.deepEqual(await syncSeasonSchedules(client, second, taskQueue), {
      created: [],
      updated: ['season:black-friday'],
      deleted: ['season:launch-2027'],
    });
    const moved = await client.schedule.getHandle('season:black-friday').describe();
    assert.deepEqual(moved.spec.calendars?.[0]?.dayOfMonth, [{ start: 28, end: 28, step: 1 }]);
  });

  it('a schedule firing publishes season.started under the moment and its scheduled time', async () => {
    const publisher = new MemoryPublisher();
    const worker = await Worker.create({
      connection: await NativeConnection.connect({ address: server.address }),
      taskQueue,
      workflowsPath: require.resolve('../workflows'),
      activities: { publishEvent: createPublishEvent({ publisher }) },
    });
    await worker.runUntil(async () => {
      await syncSeasonSchedules(
        client,
        calendar([{ id: 'black-friday', name: 'Black Friday', yearly: { date: '11-27' }, cohort }]),
        taskQueue,
      );
      const handle = client.schedule.getHandle('season:black-friday');
      await handle.trigger();
      let action: { scheduledAt: Date; workflowId: string } | undefined;
      for (let i = 0; i < 100 && action === undefined; i++) {
        const recent = (await handle.describe()).info.recentActions[0];
        if (recent)
          action = { scheduledAt: recent.scheduledAt, workflowId: recent.action.workflow.workflowId };
        else await sleep(100);
      }
      assert.ok(action, 'the schedule started no workflow');
      const { workflowId, scheduledAt } = action;
      const result = (await client.workflow.getHandle(workflowId).result()) as { eventId: string };
      const [event] = publisher.accepted;
      assert.equal(event?.type, 'season.started');
      assert.equal(event.eventId, result.eventId);
      assert.match(event.eventId, /^season:black-friday:\d{4}-\d\d-\d\dT[\d:.]+Z$/);
      // The slot the schedule says (its TemporalScheduledStartTime, kept to the second: calendar
      // slots fall on whole seconds, a manual trigger does not), not when the run happened to start.
      const slot = new Date(Math.floor(scheduledAt.getTime() / 1000) * 1000).toISOString();
      assert.equal(event.eventId, `season:black-friday:${slot}`);
      assert.equal(event.occurredAt, slot);
      assert.deepEqual(event.type === 'season.started' && event.data.cohort, cohort);
    });
  });
});
