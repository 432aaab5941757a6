import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import {
  requestSlot,
  slotRequestOf,
  type CustomerLedger,
  type SlotAnswer,
  type SlotAsk,
} from '../engine/contactPolicy/arbitration';
import { isDuplicateKeyError } from './duplicateKey';
import type { LedgerDoc } from './collections';
import { upsertRacing } from './upsert';

export type { LedgerDoc } from './collections';

export function contactLedger(db: Db): Collection<LedgerDoc> {
  return db.collection<LedgerDoc>('contact_ledger');
}

/** A send's question to the ledger (engine/contactPolicy/arbitration.ts `SlotAsk`), for one customer. */
export interface ReserveRequest extends SlotAsk {
  customerId: string;
}

const MAX_CONFLICTS = 50;
/** Older snapshots are deleted after a commit; a few are kept for whoever is reading one right now. */
const KEEP_VERSIONS = 3;
const PRUNE_EVERY = 8;
const PRUNE_AGE_MS = 60_000;
const FORK_CHECK_AFTER_MS = 10_000;

export class LedgerContentionError extends Error {
  override readonly name = 'LedgerContentionError';
}

function versionId(customerId: string, version: number): string {
  return `${customerId}#${String(version).padStart(12, '0')}`;
}

/**
 * Where the newest version was, the last time a commit said so: `{ _id: '<customer>#head', version }`,
 * in the same collection (it has no `customerId`, so no query over snapshots meets it). Every read
 * of a ledger is then point lookups by `_id`: FerretDB 1.24 answers any other filter, and any sort,
 * by reading the whole collection, once per send.
 */
interface LedgerHead {
  _id: string;
  version: number;
  /**
   * Versions up to this one are pruned (or were never kept): the next prune starts after it, one
   * point delete per version. Absent from heads written before pruning went by `_id`.
   */
  prunedThrough?: number;
}

/**
 * The wall clock of the writing process, in epoch ms (not the run's time): how old a version is,
 * for pruning, and how long a commit took since its read. Injected so tests control it.
 */
export type WallClock = () => number;

function heads(ledger: Collection<LedgerDoc>): Collection<LedgerHead> {
  return ledger as unknown as Collection<LedgerHead>;
}

function headId(customerId: string): string {
  return `${customerId}#head`;
}

/**
 * Moves the head forward to `version`, never back. A head left behind (its writer died after the
 * commit) costs readers one more probe, nothing else: they always look past it.
 */
async function advanceHead(
  ledger: Collection<LedgerDoc>,
  customerId: string,
  version: number,
): Promise<void> {
  const write = () =>
    heads(ledger).updateOne(
      { _id: headId(customerId) },
      { $max: { version }, $setOnInsert: { prunedThrough: 0 } },
      { upsert: true },
    );
  await upsertRacing(write);
}

/**
 * The customer's current ledger: the newest snapshot. From the head's version, newer versions are
 * probed one by one until one is missing; versions are consecutive, each one's commit having read
 * the one before. The head's own version is never pruned (a prune at version v deletes only up to
 * v - KEEP_VERSIONS, after moving the head to v); it can be missing only when its writer took back
 * a fork after moving the head, and then the version after it is the current one's line.
 */
export async function currentLedger(
  ledger: Collection<LedgerDoc>,
  customerId: string,
): Promise<LedgerDoc | null> {
  const head = await heads(ledger).findOne({ _id: headId(customerId) });
  let version = head?.version ?? 0;
  let current = version > 0 ? await ledger.findOne({ _id: versionId(customerId, version) }) : null;
  for (;;) {
    const next = await ledger.findOne({ _id: versionId(customerId, version + 1) });
    if (next === null) return current;
    current = next;
    version += 1;
  }
}

/**
 * Builds the heads of ledgers written before heads existed (run once per database, by
 * store/migrations.ts): the newest version of each customer.
 */
export async function backfillLedgerHeads(ledger: Collection<LedgerDoc>): Promise<number> {
  const newest = new Map<string, number>();
  for await (const doc of ledger.find(
    { customerId: { $exists: true } },
    { projection: { customerId: 1, version: 1 } },
  )) {
    newest.set(doc.customerId, Math.max(newest.get(doc.customerId) ?? 0, doc.version));
  }
  for (const [customerId, version] of newest) await advanceHead(ledger, customerId, version);
  return newest.size;
}

/**
 * Commits the next version of a customer's ledger, or reports that someone else did first.
 *
 * The compare-and-set is an insert under a unique `_id` (`customer#version`), not an update
 * filtered on the version: FerretDB 1.24 lets several concurrent updates match the same version
 * (measured: more than one winner in 19 of 20 rounds of 20 writers), while a unique insert has
 * exactly one winner there and on MongoDB. No multi-document transaction is needed.
 */
async function commit(
  ledger: Collection<LedgerDoc>,
  customerId: string,
  previous: LedgerDoc | null,
  next: CustomerLedger,
  now: number,
  clock: WallClock,
  /** Wall-clock time at which `previous` was read. */
  readAt: number,
): Promise<boolean> {
  const version = (previous?.version ?? 0) + 1;
  const nonce = randomUUID();
  try {
    await ledger.insertOne({
      _id: versionId(customerId, version),
      customerId,
      version,
      nonce,
      ...(previous?.nonce !== undefined && { parent: previous.nonce }),
      entries: next.entries,
      ...(next.intents.length > 0 && { intents: next.intents }),
      updatedAt: new Date(now),
      writtenAt: new Date(clock()),
    });
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
  await advanceHead(ledger, customerId, version);
  // The insert would also succeed if `version` had been pruned already: newer versions would exist
  // and this write would be a fork nobody reads. Only versions written more than PRUNE_AGE_MS ago are
  // pruned, so a commit made within FORK_CHECK_AFTER_MS of its read cannot be one (unless clocks
  // disagree by more than the difference); a slower one checks, and takes a fork back.
  if (clock() - readAt > FORK_CHECK_AFTER_MS && (await forked(ledger, customerId, version, nonce))) {
    await ledger.deleteOne({ _id: versionId(customerId, version) });
    return false;
  }
  // Pruning is a write of its own, so it runs every few versions rather than on every commit.
  if (version % PRUNE_EVERY === 0) await prune(ledger, customerId, version, clock);
  return true;
}

/**
 * Whether the version just committed is a fork: newer versions exist that were not built on it. By
 * `_id` alone: the next version, if there, names the one it was built on (`parent`); if it is not
 * there, a head past ours means the versions after ours were pruned, so ours went into a pruned
 * slot. A version built on ours is no fork: taking ours back would free its slot for a stale writer.
 */
async function forked(
  ledger: Collection<LedgerDoc>,
  customerId: string,
  version: number,
  nonce: string,
): Promise<boolean> {
  const next = await ledger.findOne(
    { _id: versionId(customerId, version + 1) },
    { projection: { parent: 1 } },
  );
  if (next !== null) return next.parent !== nonce;
  const head = await heads(ledger).findOne({ _id: headId(customerId) });
  return (head?.version ?? 0) > version;
}

/**
 * Deletes the versions after the head's `prunedThrough` up to `version - KEEP_VERSIONS`, oldest
 * first, each by `_id`, stopping at the first written less than PRUNE_AGE_MS ago by `clock` (a
 * later prune takes it), and records how far it got. A head from before `prunedThrough` starts
 * PRUNE_EVERY versions back: the query-based pruning before it had deleted everything older.
 */
async function prune(
  ledger: Collection<LedgerDoc>,
  customerId: string,
  version: number,
  clock: WallClock,
): Promise<void> {
  const head = await heads(ledger).findOne({ _id: headId(customerId) });
  const settled = clock() - PRUNE_AGE_MS;
  let pruned = head?.prunedThrough ?? Math.max(0, version - KEEP_VERSIONS - PRUNE_EVERY);
  while (pruned < version - KEEP_VERSIONS) {
    const id = versionId(customerId, pruned + 1);
    const doc = await ledger.findOne({ _id: id }, { projection: { writtenAt: 1 } });
    if (doc?.writtenAt !== undefined && doc.writtenAt.getTime() >= settled) break;
    if (doc !== null) await ledger.deleteOne({ _id: id });
    pruned += 1;
  }
  if (pruned > (head?.prunedThrough ?? 0))
    await heads(ledger).updateOne({ _id: headId(customerId) }, { $max: { prunedThrough: pruned } });
}

/**
 * Checks the caps and takes a slot atomically per customer, through priority arbitration when the
 * request has a window: concurrent sends for one customer from many workflows can never both take
 * the last slot; the loser of a compare-and-set re-reads and decides again.
 */
export async function reserveContactSlot(
  ledger: Collection<LedgerDoc>,
  request: ReserveRequest,
  clock: WallClock = Date.now,
): Promise<SlotAnswer> {
  const { customerId, now } = request;
  const slot = slotRequestOf(request);
  for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
    const readAt = clock();
    const current = await currentLedger(ledger, customerId);
    const { answer, next } = requestSlot(
      { entries: current?.entries ?? [], intents: current?.intents ?? [] },
      slot,
    );
    if (!next || (await commit(ledger, customerId, current, next, now, clock, readAt))) return answer;
  }
  // Transient by nature: the activity's retry policy tries again a moment later.
  throw new LedgerContentionError(
    `contact ledger of ${customerId}: ${MAX_CONFLICTS} conflicting updates in a row`,
  );
}

/** Gives a slot back when its send failed for good, so the cap counts only messages that went out. */
export async function releaseContactSlot(
  ledger: Collection<LedgerDoc>,
  customerId: string,
  key: string,
  clock: WallClock = Date.now,
): Promise<void> {
  for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
    const readAt = clock();
    const current = await currentLedger(ledger, customerId);
    if (!current || !current.entries.some((e) => e.key === key)) return;
    const next = { entries: current.entries.filter((e) => e.key !== key), intents: current.intents ?? [] };
    if (await commit(ledger, customerId, current, next, clock(), clock, readAt)) return;
  }
  throw new LedgerContentionError(
    `contact ledger of ${customerId}: ${MAX_CONFLICTS} conflicting updates in a row`,
  );
}
