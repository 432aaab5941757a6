import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { playbookReferenceMarkdown } from './playbookReference';

export const PLAYBOOK_REFERENCE_FILE = join(__dirname, '..', '..', 'docs', 'playbook-reference.md');

/** The file's exact text, formatted the way `prettier --check` wants it. */
export async function renderPlaybookReferenceFile(): Promise<string> {
  const options = await resolveConfig(PLAYBOOK_REFERENCE_FILE);
  return format(playbookReferenceMarkdown(), { ...options, filepath: PLAYBOOK_REFERENCE_FILE });
}
