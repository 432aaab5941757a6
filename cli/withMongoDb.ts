import type { Db } from 'mongodb';
import { connectMongoDb } from '../router/connectServices';
import { loadMongoConfig } from '../schemas/env';
import type { CliIo } from './command';
import { settingsOrReport } from './settings';

/**
 * Runs a command body against the configured database and always closes the connection. A bad
 * MONGODB_* setting is reported by name and exits 2, like any other wrong argument.
 */
export async function withMongoDb(io: CliIo, run: (db: Db) => Promise<number>): Promise<number> {
  const mongo = settingsOrReport(io, loadMongoConfig);
  if (mongo === undefined) return 2;
  const client = await connectMongoDb(mongo);
  try {
    return await run(client.db(mongo.db));
  } finally {
    await client.close();
  }
}
