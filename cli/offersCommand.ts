import { ensureOfferIndexes, offersCollection, upsertOffers } from '../store/offers';
import { UsageError, type CliCommand } from './command';
import { readOffersReporting } from './offerFile';
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

    const read = await readOffersReporting(file, io);
    if (read === undefined) {
      io.out('nothing imported');
      return 1;
    }
    const { offers } = read;
    const bad = `${read.bad} bad row${read.bad === 1 ? '' : 's'}`;
    if (dryRun) {
      io.out(`${read.rows} rows: ${offers.length} valid, ${bad} (dry run: nothing written)`);
      return read.bad > 0 ? 1 : 0;
    }
    return withMongoDb(io, async (db) => {
      const collection = offersCollection(db);
      await ensureOfferIndexes(collection);
      const counts = await upsertOffers(collection, offers);
      io.out(
        `${read.rows} rows: ${counts.inserted} inserted, ${counts.updated} updated, ` +
          `${counts.unchanged} unchanged, ${bad}`,
      );
      return read.bad > 0 ? 1 : 0;
    });
  },
};
