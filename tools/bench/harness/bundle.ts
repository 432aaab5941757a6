import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { sharedWorkflowModules } from '../../../workflows/sharedModules';

let built: Promise<string> | undefined;

/**
 * The workflow bundle a production worker loads (as `npm run build:bundle` writes it), built once
 * per bench process: every worker the benchmarks start, and every restart, loads the same file.
 * Removed when the process exits.
 */
export function prebuiltBundle(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journeys-bench-bundle-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../../workflows'),
      preloadModules: sharedWorkflowModules,
      logger: {
        info: () => undefined,
        warn: () => undefined,
        error: console.error,
        debug: () => undefined,
        trace: () => undefined,
        log: () => undefined,
      },
    });
    const file = join(dir, 'workflow-bundle.js');
    writeFileSync(file, code);
    return file;
  })();
  return built;
}
