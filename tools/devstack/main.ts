/**
 * `npm run stack`: the dev stack on its default ports with persistent data in .data/, until
 * Ctrl-C. Prints the environment a worker (`npm run worker`) needs to join it.
 */
import { DEFAULT_DATA_DIR } from './paths';
import { DEFAULT_PORTS, startStack } from './stack';

async function main(): Promise<void> {
  const mongodbUri = process.env.MONGODB_URI || undefined;
  const stack = await startStack({
    dataDir: DEFAULT_DATA_DIR,
    ports: DEFAULT_PORTS,
    ...(mongodbUri === undefined ? {} : { mongodbUri }),
  });
  console.log(`Temporal UI:  ${stack.temporalUiUrl}`);
  console.log(`Data:         ${DEFAULT_DATA_DIR}`);
  console.log('Environment for `npm run worker` in another shell:');
  for (const [name, value] of Object.entries(stack.env)) console.log(`  export ${name}='${value}'`);
  console.log('Ctrl-C stops the stack.');

  await new Promise<void>((resolveSignal) => {
    process.once('SIGINT', resolveSignal);
    process.once('SIGTERM', resolveSignal);
  });
  console.log('stopping…');
  await stack.stop();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
