import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import type { Config } from '../config/env';
import { temporalConnectionOptions } from '../config/temporalConnection';
import { cartPlaybookSnapshot, loadCartAbandonmentPlaybook } from '../playbooks/cartAbandonment';
import { collections, ensureIndexes, type Collections } from '../store/collections';
import { JourneyClient } from './journeyClient';

export interface ConnectedJourneyClient {
  journeys: JourneyClient;
  temporal: Client;
  collections: Collections;
  close(): Promise<void>;
}

/** Builds a JourneyClient from configuration; the caller owns the connections and closes them. */
export async function connectJourneyClient(config: Config): Promise<ConnectedJourneyClient> {
  const playbook = loadCartAbandonmentPlaybook();
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
      cartPlaybook: cartPlaybookSnapshot(playbook, config.holdoutSalt, config.cartAbandonmentWait),
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
