import { playbookHash } from '../schemas/playbook/hash';
import type { Playbook } from '../schemas/playbook/schema';
import { activeVersions, type PlaybookCollections } from '../store/playbookVersions';

/** Where the client gets the definitions new entries use. */
export interface PlaybookSource {
  current(): Promise<readonly Playbook[]>;
}

/** The active versions in MongoDB, re-read at most every `ttlMs`: an activation applies within that. */
export class StoredPlaybooks implements PlaybookSource {
  private cache: { at: number; playbooks: readonly Playbook[] } | undefined;

  constructor(
    private readonly collections: PlaybookCollections,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async current(): Promise<readonly Playbook[]> {
    const now = this.now();
    if (this.cache === undefined || now - this.cache.at >= this.ttlMs) {
      const versions = await activeVersions(this.collections);
      // Ops find a version by the hash it was published under, also when it was stored in the old form.
      for (const { definition, hash } of versions) hashes.set(definition, hash);
      this.cache = { at: now, playbooks: versions.map((version) => version.definition) };
    }
    return this.cache.playbooks;
  }
}

export function fixedPlaybooks(playbooks: readonly Playbook[]): PlaybookSource {
  return { current: () => Promise.resolve(playbooks) };
}

/** The content hash of each definition: as published for stored ones, computed for the others. */
const hashes = new WeakMap<Playbook, string>();

/** `v<version>@<hash prefix>`: the version a run entered with, as Ops see it in the UI. */
export function versionLabel(playbook: Playbook): string {
  let hash = hashes.get(playbook);
  if (hash === undefined) hashes.set(playbook, (hash = playbookHash(playbook)));
  return `v${playbook.version}@${hash.slice(0, 12)}`;
}
