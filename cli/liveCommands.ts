import { connectJourneyClient } from '../router/connect';
import { loadConfig, type Config } from '../schemas/env';
import { UnsubscribeTokens } from '../activities/unsubscribe/unsubscribeToken';
import { IngestServer, PortInUseError } from '../router/http/httpServer';
import type { CliCommand, CliIo } from './command';
import { runEventsCommand } from './eventsCommand';
import { settingsOrReport } from './settings';

/** Commands that talk to the running engine: they connect with the environment's configuration. */
async function withClient(
  io: CliIo,
  run: (client: Awaited<ReturnType<typeof connectJourneyClient>>, config: Config) => Promise<number>,
): Promise<number> {
  const config = settingsOrReport(io, () => loadConfig(process.env, (line) => io.err(line)));
  if (config === undefined) return 2;
  const client = await connectJourneyClient(config);
  try {
    return await run(client, config);
  } finally {
    await client.close();
  }
}

export const eventsPublish: CliCommand = {
  words: ['events', 'publish'],
  args: '<file.ndjson|-> [--restart]',
  summary:
    'publish events, one JSON object per line; bad lines are reported and the rest go through; ' +
    'progress on stderr, and a crashed run resumes from <file>.progress (--restart: from the start)',
  run: (args, io) =>
    withClient(io, (client) =>
      runEventsCommand(['publish', ...args], {
        publisher: client.journeys,
        stdin: process.stdin,
        out: (line) => io.out(line),
        err: (line) => io.err(line),
        progress: (line) => io.err(line),
      }),
    ),
};

export const ingestServe: CliCommand = {
  words: ['ingest', 'serve'],
  args: '',
  summary:
    'serve POST /v1/events (bearer tokens from INGEST_TOKENS), and /unsubscribe when UNSUBSCRIBE_SECRETS ' +
    'is set, until SIGINT or SIGTERM',
  run: (_args, io) =>
    withClient(io, async (client, config) => {
      if (config.ingest.tokens.length === 0) {
        io.err('INGEST_TOKENS: is not set; expected at least one bearer token for the HTTP endpoint');
        return 2;
      }
      const started = IngestServer.start({
        publisher: client.journeys,
        tokens: config.ingest.tokens,
        port: config.ingest.port,
        maxBodyBytes: config.ingest.maxBodyBytes,
        maxEventsPerRequest: config.ingest.maxEventsPerRequest,
        ...(config.unsubscribe && {
          unsubscribe: {
            verifier: new UnsubscribeTokens(config.unsubscribe.secrets),
            consents: client.journeys,
          },
        }),
      });
      let server: IngestServer;
      try {
        server = await started;
      } catch (error) {
        if (!(error instanceof PortInUseError)) throw error;
        io.err(`INGEST_PORT: ${error.message}`);
        return 1;
      }
      io.err(`ingest: listening on ${server.url}/v1/events`);
      if (config.unsubscribe) {
        io.err(
          `ingest: one-click unsubscribe on ${server.url}/unsubscribe (links point at ${config.unsubscribe.baseUrl})`,
        );
      }
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.stop();
      return 0;
    }),
};
