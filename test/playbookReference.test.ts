import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Playbook, Step } from '../schemas/playbook/schema';
import { PLAYBOOK_REFERENCE_FILE, renderPlaybookReferenceFile } from '../tools/scripts/playbookReferenceFile';

describe('docs/playbook-reference.md', () => {
  const committed = () => readFileSync(PLAYBOOK_REFERENCE_FILE, 'utf8');

  it('is what the zod schema generates today (run npm run playbooks:reference after changing it)', async () => {
    assert.equal(committed(), await renderPlaybookReferenceFile());
  });

  it('has a row for every top-level field and a section for every step type', () => {
    const page = committed();
    for (const field of Object.keys(Playbook.shape).filter((f) => f !== '$schema'))
      assert.match(page, new RegExp(`^\\| \`${field}\` +\\|`, 'm'), field);
    for (const option of Step.options) assert.ok(page.includes(`### \`${option.shape.type.value}\` step`));
    assert.match(page, /^## Compatibility$/m);
  });
});
