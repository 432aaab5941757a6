/**
 * `npm run build:bundle`: writes the workflow bundle a production worker loads at start-up
 * (WORKFLOW_BUNDLE_FILE), instead of running webpack on every start.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { sharedWorkflowModules } from '../../workflows/sharedModules';

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    preloadModules: sharedWorkflowModules,
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(
    `wrote ${out} (${(code.length / 1024).toFixed(0)} KiB); start workers with WORKFLOW_BUNDLE_FILE=${out}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
