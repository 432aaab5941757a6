import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { EnvSchema } from '../schemas/env';
import { ENV_REFERENCE_FILE, renderEnvReference } from '../tools/scripts/envReference';

describe('docs/configuration.md, the environment reference', () => {
  it('is what schemas/env.ts generates (run `npm run env:reference` after changing the schema)', async () => {
    assert.equal(
      readFileSync(ENV_REFERENCE_FILE, 'utf8'),
      await renderEnvReference(),
      'docs/configuration.md is stale: run `npm run env:reference`',
    );
  });

  it('documents every variable the schema reads, each with a description, POLICY_FILE and SEASONS_FILE among them', async () => {
    const text = await renderEnvReference();
    for (const [name, schema] of Object.entries(EnvSchema.shape)) {
      assert.ok(schema.meta()?.description, `${name} has no description`);
      assert.match(text, new RegExp(`^- \\*\\*\`${name}\`\\*\\*`, 'm'), name);
    }
    assert.match(
      text,
      /\*\*`POLICY_FILE`\*\* \(default `policy\/workspace\.yaml`\): the contact policy file/,
    );
    assert.match(
      text,
      /\*\*`SEASONS_FILE`\*\* \(default `policy\/seasons\.yaml`\): the seasonal calendar file/,
    );
    assert.match(text, /\*\*`WORKFLOW_BUNDLE_FILE`\*\* \(.*old name `WORKFLOW_BUNDLE_PATH`, still read\)/);
  });
});
