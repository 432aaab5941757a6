import { checkRows } from '../offers/checkRows';
import { readOfferFile } from '../offers/readFile';
import { ensureOfferIndexes, offersCollection, upsertOffers } from '../store/offers';
import { formatIssue } from '../validation/issues';
import { UsageError, type CliCommand } from './command';
import { withMongoDb } from './withMongoDb';

/**
 * `journeys offers import <file> [--dry-run]`: every row is checked, each bad one is reported as
 * `<file>:<line>: <field>: <why>` and skipped, and the good ones are upserted by offerId, so the
 * same file can be imported again after its bad rows are fixed. Exit 1 when any row was bad.
 */
export const offersImport: CliCommand = {
  words: ['offers', 'import'],
  args: '<file.json|file.csv> [--dry-run]',
  summary:
    'check every offer in the file and upsert the valid ones by offerId; bad rows are reported by line and field',
  run: async (args, io) => {
    const dryRun = args.includes('--dry-run');
    const rest = args.filter((arg) => arg !== '--dry-run');
    const [file, ...extra] = rest;
    if (file === undefined || extra.length > 0 || file.startsWith('--'))
      throw new UsageError('expected one <file.json|file.csv> and optionally --dry-run');

    const read = await readOfferFile(file);
    if ('problems' in read) {
      for (const problem of read.problems) {
        const at = problem.line === undefined ? file : `${file}:${problem.line}`;
        io.err(
          problem.path === undefined
            ? `${at}: ${problem.message}`
            : `${at}: ${problem.path}: ${problem.message}`,
        );
      }
      io.out('nothing imported');
      return 1;
    }
    const { offers, problems } = checkRows(read.rows);
    for (const problem of problems)
      for (const issue of problem.issues) io.err(formatIssue(`${file}:${problem.line}`, issue));
    const bad = `${problems.length} bad row${problems.length === 1 ? '' : 's'}`;
    if (dryRun) {
      io.out(`${read.rows.length} rows: ${offers.length} valid, ${bad} (dry run: nothing written)`);
      return problems.length > 0 ? 1 : 0;
    }
    return withMongoDb(io, async (db) => {
      const collection = offersCollection(db);
      await ensureOfferIndexes(collection);
      const counts = await upsertOffers(collection, offers);
      io.out(
        `${read.rows.length} rows: ${counts.inserted} inserted, ${counts.updated} updated, ` +
          `${counts.unchanged} unchanged, ${bad}`,
      );
      return problems.length > 0 ? 1 : 0;
    });
  },
};
