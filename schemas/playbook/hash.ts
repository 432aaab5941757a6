import { createHash } from 'node:crypto';
import type { AnyPlaybookForm } from './schemaV1';

/** JSON with keys sorted at every level, so the same definition always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The content hash that names a published version: of the parsed definition (defaults filled in),
 * so reformatting a file or switching YAML for JSON does not make a new version. Versions stored in
 * the form before schemaVersion 2 keep the hash of that form.
 */
export function playbookHash(playbook: AnyPlaybookForm): string {
  const { $schema: _editorHint, ...definition } = playbook;
  return createHash('sha256').update(canonical(definition)).digest('hex');
}
