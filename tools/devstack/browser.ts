import { accessSync, constants } from 'node:fs';
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

/** Headless Chromium at CHROMIUM_PATH (default Debian's /usr/bin/chromium); the caller closes it. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `no Chromium at ${executablePath}: run \`npm run setup\`, which installs Debian's chromium ` +
        '(or set CHROMIUM_PATH to a Chromium executable)',
    );
  }
  return chromium.launch({ executablePath, args: FLAGS });
}
