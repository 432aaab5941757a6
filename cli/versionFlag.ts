import { UsageError } from './command';

/*
 * Which published version `journeys playbooks activate` means. `--version` names the playbook's
 * version (the `version: 3` of the file, shown as v3); `--hash` the start of a content hash (what
 * `publish` prints). Before, `--version` took the hash: a value that can only be a hash is still
 * taken as one, with a note saying to write --hash; a value that could be either is refused.
 */

export type VersionSelector = { version: number } | { hashPrefix: string };

export interface ResolvedVersionFlag {
  select: VersionSelector;
  /** Said to the user when an old spelling was understood. */
  note?: string;
}

const HEX = /^[0-9a-f]+$/i;

export function resolveVersionFlag(
  flag: '--version' | '--hash',
  value: string,
  published: readonly { version: number; hash: string }[],
): ResolvedVersionFlag {
  if (flag === '--hash') {
    if (!HEX.test(value))
      throw new UsageError(`--hash ${value}: expected the start of a content hash (0-9, a-f)`);
    return { select: { hashPrefix: value.toLowerCase() } };
  }
  const label = /^v?(\d+)$/.exec(value);
  if (label) {
    const version = Number(label[1]);
    const isVersion = published.some((v) => v.version === version);
    // `v3` can only be a version; `3` may be how a hash began, for a script written before.
    const hashes = value.startsWith('v') ? [] : published.filter((v) => v.hash.startsWith(value));
    if (isVersion && hashes.length > 0) {
      throw new UsageError(
        `--version ${value} is ambiguous: it names version ${version}, and content hash ` +
          `${hashes[0]!.hash.slice(0, 12)} starts with it (--version took the hash before); ` +
          `write --version v${version} for the version, or --hash ${value} for the hash`,
      );
    }
    if (!isVersion && hashes.length > 0) return asHash(value, `there is no version ${version}, and`);
    return { select: { version } };
  }
  if (HEX.test(value)) return asHash(value, 'it is not a version number:');
  throw new UsageError(
    `--version ${value}: expected the playbook's version, e.g. --version 3 (or --hash <hash prefix>)`,
  );
}

function asHash(value: string, why: string): ResolvedVersionFlag {
  return {
    select: { hashPrefix: value.toLowerCase() },
    note:
      `--version ${value}: ${why} it is taken as the start of a content hash, as --version took before; ` +
      `write --hash ${value} (--version now takes the playbook's version, e.g. --version 3)`,
  };
}
