import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import type { Config } from '../config/env';
import { temporalConnectionOptions } from '../config/temporalConnection';
import { loadPlaybooks } from '../playbooks/load';
import type { Playbook } from '../playbooks/schema';
import { collections, ensureIndexes, type Collections } from '../store/collections';
import { JourneyClient } from './journeyClient';

export interface ConnectedJourneyClient {
  journeys: JourneyClient;
  temporal: Client;
  collections: Collections;
  close(): Promise<void>;
}

/**
 * Builds a JourneyClient from configuration; the caller owns the connections and closes them.
 * Playbooks come from `config.playbooksDir` unless given (the demo passes faster copies).
 */
export async function connectJourneyClient(
  config: Config,
  options: { playbooks?: readonly Playbook[] } = {},
): Promise<ConnectedJourneyClient> {
  const playbooks = options.playbooks ?? loadPlaybooks(config.playbooksDir);
  const mongo = await MongoClient.connect(config.mongo.uri);
  try {
    const db = mongo.db(config.mongo.db);
    await ensureIndexes(db);
    const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
    const temporal = new Client({ connection, namespace: config.temporal.namespace });
    const cols = collections(db);
    const journeys = new JourneyClient({
      temporal,
      collections: cols,
      taskQueue: config.temporal.taskQueue,
      playbooks,
      holdoutSalt: config.holdoutSalt,
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
