import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { PLAYBOOK_SCHEMA_FILE, renderPlaybookSchemaFile } from './playbookSchemaFile';

/** `npm run playbooks:schema`: regenerates playbooks/playbook.schema.json after a schema change. */
async function main(): Promise<void> {
  const text = await renderPlaybookSchemaFile();
  let current = '';
  try {
    current = readFileSync(PLAYBOOK_SCHEMA_FILE, 'utf8');
  } catch {
    // First generation.
  }
  const name = relative(process.cwd(), PLAYBOOK_SCHEMA_FILE);
  if (current === text) {
    console.log(`${name} is up to date`);
    return;
  }
  writeFileSync(PLAYBOOK_SCHEMA_FILE, text);
  console.log(`wrote ${name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
