import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import Ajv, { type ErrorObject } from 'ajv';
import ajvErrors from 'ajv-errors';
import { parse } from 'yaml';
import { listPlaybookFiles } from '../schemas/playbook/load';
import { PLAYBOOK_SCHEMA_FILE, renderPlaybookSchemaFile } from '../tools/scripts/playbookSchemaFile';
import { cartPlaybook } from './support/playbooks';

interface ObjectSchema {
  properties: Record<string, unknown>;
  required: string[];
  additionalProperties: unknown;
}

function committedSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(PLAYBOOK_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
}

/** Every property schema in the document, by its JSON pointer, `if` tests left out (no one hovers those). */
function propertySchemas(node: unknown, pointer = ''): [string, Record<string, unknown>][] {
  if (Array.isArray(node)) return node.flatMap((item, i) => propertySchemas(item, `${pointer}/${i}`));
  if (typeof node !== 'object' || node === null) return [];
  const out: [string, Record<string, unknown>][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'if') continue;
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      for (const [name, property] of Object.entries(value as Record<string, Record<string, unknown>>))
        out.push([`${pointer}/properties/${name}`, property]);
    }
    out.push(...propertySchemas(value, `${pointer}/${key}`));
  }
  return out;
}

/** An independent validator, configured as an editor would use the file (strict: the schema must be clean). */
function editorValidator(): (data: unknown) => ErrorObject[] {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  ajvErrors(ajv);
  const validate = ajv.compile(committedSchema());
  return (data) => (validate(data) ? [] : [...(validate.errors ?? [])]);
}

describe('playbooks/playbook.schema.json', () => {
  it('is what the zod schema generates today (run npm run playbooks:schema after changing it)', async () => {
    assert.equal(readFileSync(PLAYBOOK_SCHEMA_FILE, 'utf8'), await renderPlaybookSchemaFile());
  });

  it('allows the fields of a playbook, $schema included, and rejects unknown top-level fields', () => {
    const schema = committedSchema() as unknown as ObjectSchema;
    assert.equal(schema.additionalProperties, false);
    const unknown = (doc: object) => Object.keys(doc).filter((key) => !(key in schema.properties));
    assert.deepEqual(unknown({ ...cartPlaybook(), $schema: './playbook.schema.json' }), []);
    assert.deepEqual(unknown({ ...cartPlaybook(), colour: 'blue' }), ['colour']);
    // Fields with defaults are optional for authors.
    assert.ok(!schema.required.includes('priority') && schema.required.includes('maxDuration'));
  });

  it('describes every field, so an editor hovering it says what it is for', () => {
    const properties = propertySchemas(committedSchema());
    assert.ok(properties.length > 100, `only ${properties.length} properties found`);
    const bare = properties.filter(([, schema]) => typeof schema.description !== 'string');
    assert.deepEqual(
      bare.map(([pointer]) => pointer),
      [],
    );
    const root = committedSchema().properties as Record<
      string,
      { description: string; examples?: unknown[] }
    >;
    assert.match(root.priority?.description ?? '', /higher wins/);
    assert.deepEqual(root.maxDuration?.examples, ['15m', '1h', '2d', '1w']);
  });

  it('passes the test playbook and every shipped playbook in an independent validator (ajv)', () => {
    const validate = editorValidator();
    assert.deepEqual(validate(cartPlaybook()), []);
    const shipped = listPlaybookFiles('playbooks');
    assert.ok(shipped.length > 10);
    for (const file of shipped) assert.deepEqual(validate(parse(readFileSync(file, 'utf8'))), [], file);
  });

  it('says "unknown step type" with the list of types, once, for a misspelt step type', () => {
    const playbook = cartPlaybook();
    const errors = editorValidator()({
      ...playbook,
      steps: [playbook.steps[0], { ...playbook.steps[1], type: 'sned' }],
    });
    assert.deepEqual(
      errors.map((error) => [error.instancePath, error.message]),
      [
        [
          '/steps/1/type',
          'unknown step type: expected one of wait, waitUntil, waitUntilDate, waitForEvent, branch, decideOffer, send, update, exit',
        ],
      ],
    );
  });

  it('says what a duration looks like for a bad duration', () => {
    const playbook = cartPlaybook();
    const errors = editorValidator()({
      ...playbook,
      maxDuration: '7 days',
      steps: [{ id: 'wait', type: 'wait', duration: '1 hour' }, playbook.steps[1]],
    });
    // ajv adds one summary line, 'must match "then" schema', at the step whose fields failed.
    const expected =
      'expected a duration such as 90s, 15m, 1h, 2d or 1w (a whole number, then ms, s, m, h, d or w)';
    assert.deepEqual(
      errors.filter((error) => error.keyword !== 'if').map((error) => [error.instancePath, error.message]),
      [
        ['/maxDuration', expected],
        ['/steps/0/duration', expected],
      ],
    );
  });
});
