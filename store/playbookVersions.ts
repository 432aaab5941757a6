import type { Collection, Db } from 'mongodb';
import { upgradePlaybook } from '../engine/interpreter/upgradePlaybook';
import { playbookHash } from '../schemas/playbook/hash';
import type { Playbook } from '../schemas/playbook/schema';
import type { AnyPlaybookForm } from '../schemas/playbook/schemaV1';
import { isDuplicateKeyError } from './duplicateKey';

/** An immutable published definition. */
export interface PlaybookVersionRecord {
  playbookId: string;
  /** The content hash of `definition` as stored: what names this published content. */
  hash: string;
  /** The playbook's `version` from the file (v1, v2…): one version, one content. */
  version: number;
  /**
   * As published: versions from before playbook schemaVersion 2 hold the form before it, so every
   * reader goes through `definitionOf`.
   */
  definition: AnyPlaybookForm;
  publishedAt: Date;
  source?: string;
}

export type PlaybookStatus = 'draft' | 'active' | 'paused' | 'retired';

/** Which version new entries use, and whether they may enter at all. Runs in flight are unaffected. */
export interface PlaybookStateRecord {
  _id: string;
  status: PlaybookStatus;
  activeHash?: string;
  updatedAt: Date;
  /** Every lifecycle command, newest last: who can prove what was live when. */
  log: { at: Date; action: string; hash?: string }[];
}

export function playbookCollections(db: Db) {
  return {
    versions: db.collection<PlaybookVersionRecord>('playbook_versions'),
    states: db.collection<PlaybookStateRecord>('playbook_states'),
  };
}
export type PlaybookCollections = ReturnType<typeof playbookCollections>;

export async function ensurePlaybookIndexes(db: Db): Promise<void> {
  const { versions } = playbookCollections(db);
  await versions.createIndex({ playbookId: 1, hash: 1 }, { unique: true, name: 'version_unique' });
  await versions.createIndex({ playbookId: 1, publishedAt: -1 }, { name: 'latest' });
  await ensureLabelIndex(versions);
}

/**
 * One `version` label names one content, held by a unique index so two publishes racing with
 * different files cannot both win. A store published before this rule may already hold two
 * contents under one label; the index cannot be built there (nor should start-up fail), so it is
 * left out and publishVersion's own check refuses new clashes, with the race window that implies.
 */
async function ensureLabelIndex(versions: Collection<PlaybookVersionRecord>): Promise<void> {
  const clash = await versions
    .aggregate([
      { $group: { _id: { playbookId: '$playbookId', version: '$version' }, count: { $sum: 1 } } },
      { $match: { count: { $gt: 1 } } },
      { $limit: 1 },
    ])
    .toArray();
  if (clash.length > 0) return;
  await versions.createIndex({ playbookId: 1, version: 1 }, { unique: true, name: 'label_unique' });
}

/** A stored version's definition in the current form, whichever form it was published in. */
export function definitionOf(record: Pick<PlaybookVersionRecord, 'definition'>): Playbook {
  return upgradePlaybook(record.definition);
}

export interface Published {
  playbookId: string;
  version: number;
  hash: string;
  /** False when this exact definition was published before: publishing is idempotent. */
  created: boolean;
}

export async function publishVersion(
  { versions, states }: PlaybookCollections,
  playbook: Playbook,
  now: Date,
  source?: string,
): Promise<Published> {
  const hash = playbookHash(playbook);
  // This very content again is a no-op, even in a store that lists another content under its label.
  if (await versions.findOne({ playbookId: playbook.id, hash }, { projection: { _id: 1 } })) {
    return { playbookId: playbook.id, version: playbook.version, hash, created: false };
  }
  const sameAsBefore = await refuseOtherContent(versions, playbook, hash);
  if (sameAsBefore !== undefined) {
    return { playbookId: playbook.id, version: playbook.version, hash: sameAsBefore, created: false };
  }
  let created = true;
  try {
    await versions.insertOne({
      playbookId: playbook.id,
      hash,
      version: playbook.version,
      definition: playbook,
      publishedAt: now,
      ...(source !== undefined && { source }),
    });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    // Either this very content is there (publishing is idempotent), or another publish of the same
    // label with other content won the race since the check above.
    const stored = await refuseOtherContent(versions, playbook, hash);
    created = false;
    if (stored !== undefined)
      return { playbookId: playbook.id, version: playbook.version, hash: stored, created };
  }
  if (created) {
    await upsertState(states, playbook.id, { action: 'publish', hash }, now);
  }
  return { playbookId: playbook.id, version: playbook.version, hash, created };
}

async function upsertState(
  states: Collection<PlaybookStateRecord>,
  playbookId: string,
  entry: { action: string; hash?: string },
  now: Date,
  set: Partial<PlaybookStateRecord> = {},
): Promise<void> {
  await states.updateOne(
    { _id: playbookId },
    {
      $set: { ...set, updatedAt: now },
      $setOnInsert: set.status === undefined ? { status: 'draft' as const } : {},
      $push: { log: { at: now, ...entry } },
    },
    { upsert: true },
  );
}

export class PlaybookLifecycleError extends Error {
  override readonly name: string = 'PlaybookLifecycleError';
}

/** A file changed without a new `version`: two contents would both be listed as that version. */
export class PlaybookVersionConflictError extends PlaybookLifecycleError {
  override readonly name = 'PlaybookVersionConflictError';
  constructor(
    readonly playbookId: string,
    readonly version: number,
    readonly publishedHash: string,
    /** The highest version label published for this playbook. */
    readonly highest: number,
  ) {
    super(
      `${playbookId} version ${version} is already published with different content ` +
        `(hash ${publishedHash.slice(0, 12)}); bump \`version\` (to ${highest + 1}: the highest published is ${highest})`,
    );
  }
}

/**
 * Refuses a content that another publish stored under this version, unless that one is this very
 * content in the form before schemaVersion 2: then it returns that version's hash, so republishing
 * an unchanged file after the upgrade is the no-op it was before (the version keeps its hash).
 */
async function refuseOtherContent(
  versions: Collection<PlaybookVersionRecord>,
  playbook: Playbook,
  hash: string,
): Promise<string | undefined> {
  const others = await versions
    .find(
      { playbookId: playbook.id, version: playbook.version, hash: { $ne: hash } },
      { projection: { hash: 1, definition: 1 } },
    )
    .toArray();
  const other = others[0];
  if (!other) return undefined;
  const same = others.find((record) => playbookHash(definitionOf(record)) === hash);
  if (same) return same.hash;
  const [latest] = await versions
    .find({ playbookId: playbook.id }, { projection: { version: 1 }, sort: { version: -1 }, limit: 1 })
    .toArray();
  throw new PlaybookVersionConflictError(
    playbook.id,
    playbook.version,
    other.hash,
    Math.max(latest?.version ?? 0, playbook.version),
  );
}

/** The published versions of a playbook, newest first: what a version or a hash prefix may name. */
export async function publishedVersions(
  { versions }: PlaybookCollections,
  playbookId: string,
): Promise<{ version: number; hash: string }[]> {
  return versions
    .find({ playbookId }, { projection: { version: 1, hash: 1 }, sort: { publishedAt: -1 } })
    .toArray();
}

/**
 * Activates a published version for new entries: the one with this `version`, the one whose
 * content hash starts with `hashPrefix`, or by default the latest published.
 */
export async function activate(
  collections: PlaybookCollections,
  playbookId: string,
  now: Date,
  select?: { version: number } | { hashPrefix: string },
): Promise<PlaybookVersionRecord> {
  const candidates = await collections.versions.find({ playbookId }, { sort: { publishedAt: -1 } }).toArray();
  if (candidates.length === 0)
    throw new PlaybookLifecycleError(`playbook ${playbookId} has no published version`);
  const matching =
    select === undefined
      ? candidates.slice(0, 1)
      : 'version' in select
        ? candidates.filter((v) => v.version === select.version)
        : candidates.filter((v) => v.hash.startsWith(select.hashPrefix));
  if (matching.length !== 1) {
    const what =
      select === undefined
        ? ''
        : 'version' in select
          ? `version ${select.version}`
          : `hash ${select.hashPrefix}…`;
    throw new PlaybookLifecycleError(
      `playbook ${playbookId}: ${matching.length === 0 ? 'no' : 'more than one'} published version matches ${what}`,
    );
  }
  const record = matching[0]!;
  await upsertState(collections.states, playbookId, { action: 'activate', hash: record.hash }, now, {
    status: 'active',
    activeHash: record.hash,
  });
  return record;
}

/** Pause (new entries wait for reactivation) or retire (taken out of service); runs in flight go on. */
export async function setStatus(
  { states }: PlaybookCollections,
  playbookId: string,
  status: 'paused' | 'retired',
  now: Date,
): Promise<void> {
  const state = await states.findOne({ _id: playbookId });
  if (!state) throw new PlaybookLifecycleError(`playbook ${playbookId} was never published`);
  if (state.status === status)
    throw new PlaybookLifecycleError(`playbook ${playbookId} is already ${status}`);
  await upsertState(states, playbookId, { action: status === 'paused' ? 'pause' : 'retire' }, now, {
    status,
  });
}

/** A playbook's state, with what arbitration ranks its active version by. */
export type ListedState = PlaybookStateRecord & {
  version?: number;
  priority?: number;
  expectedValue?: number;
};

export async function listStates(collections: PlaybookCollections): Promise<ListedState[]> {
  const states = await collections.states.find({}, { sort: { _id: 1 } }).toArray();
  return Promise.all(
    states.map(async (state) => {
      if (state.activeHash === undefined) return state;
      const v = await collections.versions.findOne({ playbookId: state._id, hash: state.activeHash });
      if (!v) return state;
      const { priority, expectedValue } = definitionOf(v);
      return {
        ...state,
        version: v.version,
        priority,
        ...(expectedValue !== undefined && { expectedValue }),
      };
    }),
  );
}

/**
 * The versions new entries use: the active version of every active playbook, its definition in the
 * current form, with the hash it was published under (which, for a version published in the form
 * before schemaVersion 2, is not the hash of the upgraded definition).
 */
export async function activeVersions(
  collections: PlaybookCollections,
): Promise<{ definition: Playbook; hash: string }[]> {
  const active = await collections.states.find({ status: 'active' }, { sort: { _id: 1 } }).toArray();
  const out: { definition: Playbook; hash: string }[] = [];
  for (const state of active) {
    if (state.activeHash === undefined) continue;
    const version = await collections.versions.findOne({ playbookId: state._id, hash: state.activeHash });
    if (version) out.push({ definition: definitionOf(version), hash: version.hash });
  }
  return out;
}

/**
 * Every playbook ever published (retired ones too): the playbooks a customer can have entered. A
 * scan, of the playbook_states collection, which holds one small document per playbook.
 */
export async function knownPlaybookIds(collections: Pick<PlaybookCollections, 'states'>): Promise<string[]> {
  const states = await collections.states.find({}, { projection: { _id: 1 } }).toArray();
  return states.map((state) => state._id).sort();
}
