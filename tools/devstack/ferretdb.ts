import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BINARIES } from './paths';
import { startService, type Service } from './process';

export interface FerretDb extends Service {
  uri: string;
}

/** FerretDB on loopback, storing its SQLite files in `<dataDir>/ferretdb` across restarts. */
export async function startFerretDb(options: { dataDir: string; port: number }): Promise<FerretDb> {
  const dir = join(options.dataDir, 'ferretdb');
  mkdirSync(dir, { recursive: true });
  const service = await startService({
    name: 'ferretdb',
    command: BINARIES.ferretdb,
    args: ['-listen', `127.0.0.1:${options.port}`, '-data', dir],
    logFile: join(options.dataDir, 'ferretdb.log'),
    readyPort: options.port,
  });
  return { ...service, uri: `mongodb://127.0.0.1:${options.port}/` };
}
