import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, loadContentFiles } from '../schemas/env';

/*
 * A variable renamed to follow the naming rule (a path ends in _DIR or _FILE, never _PATH) is still
 * read under its old name, with a one-line warning that names the new one; the old and the new name
 * set to different values is an error rather than a silent choice.
 */

const validEnv = {
  MONGODB_URI: 'mongodb://127.0.0.1:27017',
  SMTP_URL: 'smtp://127.0.0.1:2525',
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_FROM: '+15005550006',
};

function collect(): { lines: string[]; warn: (line: string) => void } {
  const lines: string[] = [];
  return { lines, warn: (line) => lines.push(line) };
}

describe('renamed environment variables', () => {
  it('reads WORKFLOW_BUNDLE_FILE, without a warning', () => {
    const { lines, warn } = collect();
    const config = loadConfig({ ...validEnv, WORKFLOW_BUNDLE_FILE: 'dist/workflow-bundle.js' }, warn);
    assert.equal(config.workflowBundlePath, 'dist/workflow-bundle.js');
    assert.deepEqual(lines, []);
  });

  it('reads the old WORKFLOW_BUNDLE_PATH as WORKFLOW_BUNDLE_FILE, with one warning naming the new name', () => {
    const { lines, warn } = collect();
    const config = loadConfig({ ...validEnv, WORKFLOW_BUNDLE_PATH: 'dist/workflow-bundle.js' }, warn);
    assert.equal(config.workflowBundlePath, 'dist/workflow-bundle.js');
    assert.deepEqual(lines, [
      'WORKFLOW_BUNDLE_PATH is deprecated: it is read as WORKFLOW_BUNDLE_FILE, its new name; set WORKFLOW_BUNDLE_FILE instead',
    ]);
  });

  it('both names set to the same value: read, with the warning', () => {
    const { lines, warn } = collect();
    const config = loadConfig(
      { ...validEnv, WORKFLOW_BUNDLE_PATH: 'bundle.js', WORKFLOW_BUNDLE_FILE: 'bundle.js' },
      warn,
    );
    assert.equal(config.workflowBundlePath, 'bundle.js');
    assert.equal(lines.length, 1);
  });

  it('both names set to different values: an error that names both and what to do', () => {
    assert.throws(
      () => loadConfig({ ...validEnv, WORKFLOW_BUNDLE_PATH: 'old.js', WORKFLOW_BUNDLE_FILE: 'new.js' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes(
          'WORKFLOW_BUNDLE_FILE: is "new.js", but its old name WORKFLOW_BUNDLE_PATH is "old.js": set only WORKFLOW_BUNDLE_FILE',
        ),
    );
  });

  it('an invalid value under the old name is reported with both names', () => {
    assert.throws(
      () => loadConfig({ ...validEnv, WORKFLOW_BUNDLE_PATH: '   ' }, () => undefined),
      /WORKFLOW_BUNDLE_FILE \(set as WORKFLOW_BUNDLE_PATH\): is " {3}"; expected the path of a prebuilt workflow bundle/,
    );
  });

  it('POLICY_FILE and SEASONS_FILE are read and checked by schemas/env.ts for the offline commands too', () => {
    const files = loadContentFiles({ POLICY_FILE: 'my/policy.yaml', SEASONS_FILE: 'my/seasons.yaml' });
    assert.equal(files.policyFile, 'my/policy.yaml');
    assert.equal(files.seasonsFile, 'my/seasons.yaml');
    assert.match(loadContentFiles({ POLICY_FILE: '' }).policyFile, /policy\/workspace\.yaml$/);
    assert.throws(
      () => loadContentFiles({ SEASONS_FILE: '  ' }),
      /SEASONS_FILE: is " {2}"; expected the seasonal/,
    );
  });
});
