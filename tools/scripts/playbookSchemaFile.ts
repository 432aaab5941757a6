import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { playbookJsonSchema } from '../../schemas/playbook/jsonSchema';

export const PLAYBOOK_SCHEMA_FILE = join(__dirname, '..', '..', 'playbooks', 'playbook.schema.json');

/** The file's exact text, formatted the way `prettier --check` wants it. */
export async function renderPlaybookSchemaFile(): Promise<string> {
  const options = await resolveConfig(PLAYBOOK_SCHEMA_FILE);
  return format(JSON.stringify(playbookJsonSchema()), { ...options, filepath: PLAYBOOK_SCHEMA_FILE });
}
