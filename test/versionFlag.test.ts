import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../cli/command';
import { resolveVersionFlag } from '../cli/versionFlag';

/** `journeys playbooks activate --version/--hash`: what each spelling names, old ones included. */
describe('activate --version and --hash', () => {
  const published = [
    { version: 12, hash: '12ab'.padEnd(64, '0') },
    { version: 1, hash: '3f9c'.padEnd(64, '0') },
    { version: 2, hash: '7700'.padEnd(64, '1') },
  ];

  it('--version names the version, v-prefixed or not; --hash the start of a hash', () => {
    assert.deepEqual(resolveVersionFlag('--version', '2', published), { select: { version: 2 } });
    assert.deepEqual(resolveVersionFlag('--version', 'v12', published), { select: { version: 12 } });
    assert.deepEqual(resolveVersionFlag('--hash', '3F9C', published), { select: { hashPrefix: '3f9c' } });
    assert.throws(() => resolveVersionFlag('--hash', 'v2', published), UsageError);
  });

  it('takes what can only be a hash as one, with a note, as --version did before', () => {
    const hex = resolveVersionFlag('--version', '3f9c', published);
    assert.deepEqual(hex.select, { hashPrefix: '3f9c' });
    assert.match(hex.note ?? '', /write --hash 3f9c/);
    // 77 is no version, and a hash starts with it.
    const digits = resolveVersionFlag('--version', '77', published);
    assert.deepEqual(digits.select, { hashPrefix: '77' });
    assert.match(digits.note ?? '', /there is no version 77, and it is taken as the start of a content hash/);
  });

  it('refuses a value that is both a version and the start of a hash, naming both spellings', () => {
    assert.throws(
      () => resolveVersionFlag('--version', '12', published),
      (error: unknown) =>
        error instanceof UsageError &&
        error.message ===
          '--version 12 is ambiguous: it names version 12, and content hash 12ab00000000 starts with it ' +
            '(--version took the hash before); write --version v12 for the version, or --hash 12 for the hash',
    );
  });
});
