import { playbookHash } from '../schemas/playbook/hash';
import type { Playbook } from '../schemas/playbook/schema';
import { activePlaybooks, type PlaybookCollections } from '../store/playbookVersions';

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
      this.cache = { at: now, playbooks: await activePlaybooks(this.collections) };
    }
    return this.cache.playbooks;
  }
}

export function fixedPlaybooks(playbooks: readonly Playbook[]): PlaybookSource {
  return { current: () => Promise.resolve(playbooks) };
}

const hashes = new WeakMap<Playbook, string>();

/** `v<version>@<hash prefix>`: the version a run entered with, as Ops see it in the UI. */
export function versionLabel(playbook: Playbook): string {
  let hash = hashes.get(playbook);
  if (hash === undefined) hashes.set(playbook, (hash = playbookHash(playbook)));
  return `v${playbook.version}@${hash.slice(0, 12)}`;
}
