import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PLAYBOOK_SCHEMA_FILE, renderPlaybookSchemaFile } from '../scripts/playbookSchemaFile';
import { cartPlaybook } from './support/playbooks';

interface ObjectSchema {
  properties: Record<string, unknown>;
  required: string[];
  additionalProperties: unknown;
}

describe('playbooks/playbook.schema.json', () => {
  it('is what the zod schema generates today (run npm run playbooks:schema after changing it)', async () => {
    assert.equal(readFileSync(PLAYBOOK_SCHEMA_FILE, 'utf8'), await renderPlaybookSchemaFile());
  });

  it('allows the fields of a playbook, $schema included, and rejects unknown top-level fields', () => {
    const schema = JSON.parse(readFileSync(PLAYBOOK_SCHEMA_FILE, 'utf8')) as ObjectSchema;
    assert.equal(schema.additionalProperties, false);
    const unknown = (doc: object) => Object.keys(doc).filter((key) => !(key in schema.properties));
    assert.deepEqual(unknown({ ...cartPlaybook(), $schema: './playbook.schema.json' }), []);
    assert.deepEqual(unknown({ ...cartPlaybook(), colour: 'blue' }), ['colour']);
    // Fields with defaults are optional for authors.
    assert.ok(!schema.required.includes('priority') && schema.required.includes('maxDuration'));
  });
});
