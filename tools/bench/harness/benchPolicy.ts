import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPolicy } from '../../../schemas/policy/load';

/**
 * The shipped workspace policy (policy/workspace.yaml: its caps, consent rules and offer settings)
 * with two changes, written into the bench's data directory for POLICY_FILE:
 * - `arbitrationWindow: 0s`: the shipped 5-minute window holds every send so a higher-priority
 *   playbook can claim the slot; a latency benchmark would measure that window, not the engine.
 *   The reservation against the caps still runs on every send.
 * - `quietHours: []`: a run at night (SMS quiet hours) would defer sends and measure the clock.
 */
export function writeBenchPolicy(dataDir: string): string {
  const policy = { ...loadPolicy(), arbitrationWindow: '0s', quietHours: [] };
  const file = join(dataDir, 'bench-policy.yaml');
  writeFileSync(
    file,
    `# policy/workspace.yaml without arbitration wait or quiet hours, for benchmarks.\n${stringify(policy)}`,
  );
  return file;
}
