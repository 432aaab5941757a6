import { accessSync, constants } from 'node:fs';
import { resolveRenames } from '../../schemas/envRenames';
import { chromium, type Browser } from 'playwright-core';

/*
 * Debian's chromium rather than Playwright's downloaded build: our machines reach only the package
 * mirrors. The network is closed, so everything that phones home (updates, sync, field trials, QUIC
 * probes) is switched off; otherwise the browser floods the log with refused connections.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** CHROMIUM_FILE, read under its old name CHROMIUM_PATH too, as schemas/env.ts reads renamed variables. */
function chromiumFile(env: NodeJS.ProcessEnv): string {
  const renamed = resolveRenames(
    env,
    [{ name: 'CHROMIUM_FILE', oldName: 'CHROMIUM_PATH' }],
    (_, value) => `is "${value}"`,
  );
  const [problem] = renamed.problems;
  if (problem) throw new Error(`${problem.variable}: ${problem.problem}`);
  for (const line of renamed.warnings) process.stderr.write(`journeys: warning: ${line}\n`);
  return renamed.env.CHROMIUM_FILE || '/usr/bin/chromium';
}

/** Headless Chromium at CHROMIUM_FILE (default Debian's /usr/bin/chromium); the caller closes it. */
export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const executablePath = chromiumFile(env);
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `no Chromium at ${executablePath}: run \`npm run setup\`, which installs Debian's chromium ` +
        '(or set CHROMIUM_FILE to a Chromium executable)',
    );
  }
  return chromium.launch({ executablePath, args: FLAGS });
}
