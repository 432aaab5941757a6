import { Client, Connection } from '@temporalio/client';
import { syncSeasonSchedules } from '../router/seasonSchedules';
import { loadConfig, loadContentFiles } from '../schemas/env';
import { temporalConnectionOptions } from '../router/temporalConnection';
import { InvalidPolicyError, loadSeasons } from '../schemas/policy/load';
import { UsageError, type CliCommand } from './command';
import { settingsOrReport } from './settings';

/*
 * `journeys seasons sync`: one Temporal Schedule per moment of the seasonal calendar (SEASONS_FILE,
 * default policy/seasons.yaml), created, updated or deleted to match it. Run it after every change
 * to the calendar; the file is validated before anything is connected to.
 */

export const seasonsSync: CliCommand = {
  words: ['seasons', 'sync'],
  args: '[calendar.yaml]',
  summary: 'make the Temporal Schedules of seasonal moments match the calendar (SEASONS_FILE)',
  async run(args, io) {
    if (args.length > 1) throw new UsageError('expected at most one calendar file');
    // Read before the server settings, so a calendar mistake is reported on its own, even where
    // the rest of the environment is not set up.
    const file =
      args[0] ??
      settingsOrReport(io, () => loadContentFiles(process.env, (line) => io.err(line)).seasonsFile);
    if (file === undefined) return 2;
    let calendar;
    try {
      calendar = loadSeasons(file);
    } catch (error) {
      if (!(error instanceof InvalidPolicyError)) throw error;
      io.err(error.message);
      return 1;
    }
    const config = settingsOrReport(io, () => loadConfig(process.env, (line) => io.err(line)));
    if (config === undefined) return 2;
    const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
    try {
      const client = new Client({ connection, namespace: config.temporal.namespace });
      const report = await syncSeasonSchedules(client, calendar, config.temporal.taskQueue);
      for (const id of report.created) io.out(`created ${id}`);
      for (const id of report.updated) io.out(`updated ${id}`);
      for (const id of report.deleted) io.out(`deleted ${id}`);
      io.out(`${calendar.moments.length} moment(s) scheduled from ${file}`);
      return 0;
    } finally {
      await connection.close();
    }
  },
};
