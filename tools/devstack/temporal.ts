import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes';
import { BINARIES } from './paths';
import { startService, type Service } from './process';

export interface TemporalDevServer extends Service {
  address: string;
  uiUrl: string;
}

/**
 * The Temporal CLI dev server, file-backed so a restart loses nothing, with its Web UI and the
 * project's search attributes registered (re-registering on restart is accepted).
 */
export async function startTemporalDevServer(options: {
  dataDir: string;
  port: number;
  uiPort: number;
}): Promise<TemporalDevServer> {
  const searchAttributes = ALL_SEARCH_ATTRIBUTES.flatMap((key) => [
    '--search-attribute',
    `${key.name}=Keyword`,
  ]);
  const service = await startService({
    name: 'temporal dev server',
    command: BINARIES.temporal,
    args: [
      'server',
      'start-dev',
      '--db-filename',
      join(options.dataDir, 'temporal.db'),
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--ui-port',
      String(options.uiPort),
      '--log-level',
      'warn',
      ...searchAttributes,
    ],
    logFile: join(options.dataDir, 'temporal.log'),
    readyPort: options.port,
    ready: () => namespaceAnswers(`127.0.0.1:${options.port}`),
  });
  return { ...service, address: `127.0.0.1:${options.port}`, uiUrl: `http://127.0.0.1:${options.uiPort}` };
}

/** The dev server opens its port before it has created the default namespace; wait for both. */
async function namespaceAnswers(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1_000 });
    await connection.workflowService.describeNamespace({ namespace: 'default' });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}
