import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { PLAYBOOK_REFERENCE_FILE, renderPlaybookReferenceFile } from './playbookReferenceFile';

/** `npm run playbooks:reference`: regenerates docs/playbook-reference.md after a schema change. */
async function main(): Promise<void> {
  const text = await renderPlaybookReferenceFile();
  let current = '';
  try {
    current = readFileSync(PLAYBOOK_REFERENCE_FILE, 'utf8');
  } catch {
    // First generation.
  }
  const name = relative(process.cwd(), PLAYBOOK_REFERENCE_FILE);
  if (current === text) {
    console.log(`${name} is up to date`);
    return;
  }
  writeFileSync(PLAYBOOK_REFERENCE_FILE, text);
  console.log(`wrote ${name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
