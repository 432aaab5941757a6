import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';

/*
 * docs/architecture.md opens with the tree, one line per folder, so a newcomer can find where a
 * rule lives without opening files. A folder added or moved without its line would make that map
 * quietly wrong; this compares it with the folders git tracks.
 */

const ROOT = resolve(__dirname, '..');

/** Every folder that holds a tracked file, and each folder above it. */
function trackedFolders(): Set<string> {
  const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n');
  const folders = new Set<string>();
  for (const file of files) {
    for (let folder = dirname(file); folder !== '.' && folder !== ''; folder = dirname(folder))
      folders.add(folder);
  }
  return folders;
}

/** The folders the tree at the top of docs/architecture.md names (lines starting `name/`). */
function documentedFolders(): Set<string> {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const tree = /## The tree\n[\s\S]*?```text\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(tree !== undefined, 'docs/architecture.md has no ```text block under "## The tree"');
  return new Set(
    tree
      .split('\n')
      .map((line) => /^(\S+)\/\s/.exec(line)?.[1])
      .filter((folder) => folder !== undefined),
  );
}

describe('the tree in docs/architecture.md', () => {
  it('has one line for every folder of the repository, and none for a folder that is gone', () => {
    const tracked = trackedFolders();
    const documented = documentedFolders();
    assert.deepEqual(
      {
        missing: [...tracked].filter((f) => !documented.has(f)).sort(),
        gone: [...documented].filter((f) => !tracked.has(f)).sort(),
      },
      { missing: [], gone: [] },
    );
  });
});
