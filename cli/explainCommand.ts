import { collections } from '../store/collections';
import { customerHistory } from '../store/customerHistory';
import { knownPlaybookIds, playbookCollections } from '../store/playbookVersions';
import { UsageError, type CliCommand } from './command';
import { commandInput, parseOptions } from './options';
import { explainHeader, formatTimeline, nothingRecorded } from './explainFormat';
import { explainTimeline } from './explainTimeline';
import { withMongoDb } from './withMongoDb';

/** Enough for a customer's recent story; older items are a `--limit` away. */
const DEFAULT_LIMIT = 100;

interface ExplainOptions {
  customerId: string;
  json: boolean;
  limit: number;
}

function parseExplainOptions(args: readonly string[]): ExplainOptions {
  const { values, positionals } = parseOptions(
    args,
    { customer: 'string', json: 'boolean', limit: 'string' },
    1,
  );
  const customerId = commandInput({ positionals, oldFlag: values.customer }, 'customer', '<customerId>');
  let limit = DEFAULT_LIMIT;
  if (values.limit !== undefined) {
    if (!/^[1-9]\d{0,5}$/.test(values.limit))
      throw new UsageError(`--limit: "${values.limit}" is not a whole number from 1 to 999999`);
    limit = Number(values.limit);
  }
  return { customerId, json: values.json === true, limit };
}

/**
 * `journeys explain <customerId>`: why a customer got (or did not get) a message, and which
 * offer it carried. Reads the entries, decision records, offer grants and delivery records, by `_id`
 * alone (store/customerHistory.ts), and prints them as one timeline, oldest first. Nothing recorded is an answer, not an error: it prints
 * so and exits 0. Needs only MONGODB_URI.
 */
export const explainCommand: CliCommand = {
  words: ['explain'],
  args: '<customerId> [--json] [--limit N]',
  summary: `a customer's entries, decisions, offers and deliveries as one timeline (latest ${DEFAULT_LIMIT} by default)`,
  notes: ['--customer <id> (the older form of the customer argument) is still accepted'],
  async run(args, io) {
    const options = parseExplainOptions(args);
    return withMongoDb(io, async (db) => {
      const playbookIds = await knownPlaybookIds(playbookCollections(db));
      const history = await customerHistory(collections(db), playbookIds, options.customerId, options.limit);
      const items = explainTimeline(history, options.limit);
      if (options.json) io.out(JSON.stringify(items, null, 2));
      else if (items.length === 0) io.out(nothingRecorded(options.customerId));
      else {
        io.out(explainHeader(options.customerId, history.totals, items.length));
        for (const line of formatTimeline(items)) io.out(line);
      }
      return 0;
    });
  },
};
