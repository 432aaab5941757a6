import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ENV_REFERENCE_FILE, renderEnvReference } from './envReference';

/** `npm run env:reference`: rewrites docs/configuration.md after a change to schemas/envVariables.ts. */
async function main(): Promise<void> {
  const text = await renderEnvReference();
  let current = '';
  try {
    current = readFileSync(ENV_REFERENCE_FILE, 'utf8');
  } catch {
    // First generation.
  }
  const name = relative(process.cwd(), ENV_REFERENCE_FILE);
  if (current === text) {
    console.log(`${name} is up to date`);
    return;
  }
  writeFileSync(ENV_REFERENCE_FILE, text);
  console.log(`wrote ${name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
