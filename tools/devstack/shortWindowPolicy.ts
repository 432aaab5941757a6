import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPolicy } from '../../schemas/policy/load';
import type { ContactPolicy } from '../../schemas/policy/schema';

/**
 * The shipped workspace policy with a short arbitration window, written where POLICY_FILE can name
 * it: the demo's and the dev-server tests' journeys wait seconds instead of hours, and would
 * otherwise spend most of their time in the 5-minute window. Caps, quiet hours and consent rules
 * are the shipped ones unless `overrides` replaces them (a test on the real clock that is not about
 * quiet hours turns them off, so its outcome does not depend on the hour it runs at).
 */
export function writeShortWindowPolicy(
  dataDir: string,
  arbitrationWindow: string,
  overrides: Partial<ContactPolicy> = {},
): string {
  const policy = { ...loadPolicy(), ...overrides, arbitrationWindow };
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'short-window-policy.yaml');
  writeFileSync(
    file,
    `# policy/workspace.yaml with a short arbitration window, for the demo and tests.\n${stringify(policy)}`,
  );
  return file;
}
