import { Client, Connection } from '@temporalio/client';
import type { Config } from '../schemas/env';
import { connectMongoDb, connectTemporal } from './connectServices';
import type { Playbook } from '../schemas/playbook/schema';
import { loadPolicy } from '../schemas/policy/load';
import { ensurePlaybookIndexes, playbookCollections } from '../store/playbookVersions';
import { collections, ensureIndexes, type Collections } from '../store/collections';
import { runMigrations } from '../store/migrations';
import { StoredHoldoutScheme } from './holdoutSource';
import { JourneyClient } from './journeyClient';
import { StoredPlaybooks } from './playbookSource';

export interface ConnectedJourneyClient {
  journeys: JourneyClient;
  temporal: Client;
  collections: Collections;
  close(): Promise<void>;
}

/**
 * Builds a JourneyClient from configuration; the caller owns the connections and closes them.
 * New runs use the active playbook versions in MongoDB (`journeys playbooks publish` and
 * `activate`), unless definitions are given, as tests do.
 */
export async function connectJourneyClient(
  config: Config,
  options: { playbooks?: readonly Playbook[] } = {},
): Promise<ConnectedJourneyClient> {
  const mongo = await connectMongoDb(config.mongo);
  try {
    const policy = loadPolicy(config.policyFile);
    const db = mongo.db(config.mongo.db);
    await ensureIndexes(db);
    await runMigrations(db);
    await ensurePlaybookIndexes(db);
    const connection = await connectTemporal(config.temporal, (options) => Connection.connect(options));
    const temporal = new Client({ connection, namespace: config.temporal.namespace });
    const cols = collections(db);
    const journeys = new JourneyClient({
      temporal,
      collections: cols,
      taskQueue: config.temporal.taskQueue,
      playbooks: options.playbooks ?? new StoredPlaybooks(playbookCollections(db)),
      // HOLDOUT_* only make epoch 1 on an empty database; after that the recorded scheme rules.
      holdout: new StoredHoldoutScheme(cols.holdoutSchemes, config.holdout),
      policy,
    });
    return {
      journeys,
      temporal,
      collections: cols,
      async close() {
        await connection.close();
        await mongo.close();
      },
    };
  } catch (error) {
    await mongo.close();
    throw error;
  }
}
