import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPolicy } from '../../schemas/policy/load';
import type { CapPolicy } from './check';

/**
 * The shipped policy and caps, without quiet hours (a chaos run at night must still send) and with
 * the scenario's arbitration window; written where POLICY_FILE can name it.
 */
export function writeChaosPolicy(dir: string, arbitrationWindow: string): { file: string; caps: CapPolicy } {
  const policy = { ...loadPolicy(), quietHours: [], arbitrationWindow };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'chaos-policy.yaml');
  writeFileSync(file, `# policy/workspace.yaml for chaos runs: no quiet hours.\n${stringify(policy)}`);
  return {
    file,
    caps: { timezone: policy.timezone, weekStartsOn: policy.weekStartsOn, caps: policy.caps },
  };
}
