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
}

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
    heads(ledger).updateOne({ _id: headId(customerId) }, { $max: { version } }, { upsert: true });
  await upsertRacing(write);
}

/**
 * The customer's current ledger: the newest snapshot. From the head's version, newer versions are
 * probed one by one until one is missing; versions are consecutive, each one's commit having read
 * the one before.
 */
export async function currentLedger(
  ledger: Collection<LedgerDoc>,
  customerId: string,
): Promise<LedgerDoc | null> {
  const head = await heads(ledger).findOne({ _id: headId(customerId) });
  let version = head?.version ?? 0;
  let current = version > 0 ? await ledger.findOne({ _id: versionId(customerId, version) }) : null;
  // A head far behind can point at a version pruned since: then the query finds the newest.
  if (version > 0 && current === null) return ledger.findOne({ customerId }, { sort: { version: -1 } });
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
  /** Wall-clock time at which `previous` was read. */
  readAt: number,
): Promise<boolean> {
  const version = (previous?.version ?? 0) + 1;
  try {
    await ledger.insertOne({
      _id: versionId(customerId, version),
      customerId,
      version,
      entries: next.entries,
      ...(next.intents.length > 0 && { intents: next.intents }),
      updatedAt: new Date(now),
      writtenAt: new Date(),
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
  if (Date.now() - readAt > FORK_CHECK_AFTER_MS) {
    const newer = await ledger.findOne({ customerId, version: { $gt: version } }, { projection: { _id: 1 } });
    if (newer) {
      await ledger.deleteOne({ _id: versionId(customerId, version) });
      return false;
    }
  }
  // Pruning is a write of its own, so it runs every few versions rather than on every commit.
  if (version % PRUNE_EVERY === 0) {
    const settled = new Date(Date.now() - PRUNE_AGE_MS);
    await ledger.deleteMany({
      customerId,
      version: { $lte: version - KEEP_VERSIONS },
      $or: [{ writtenAt: { $lt: settled } }, { writtenAt: { $exists: false } }],
    });
  }
  return true;
}

/**
 * Checks the caps and takes a slot atomically per customer, through priority arbitration when the
 * request has a window: concurrent sends for one customer from many workflows can never both take
 * the last slot; the loser of a compare-and-set re-reads and decides again.
 */
export async function reserveContactSlot(
  ledger: Collection<LedgerDoc>,
  request: ReserveRequest,
): Promise<SlotAnswer> {
  const { customerId, now } = request;
  const slot = slotRequestOf(request);
  for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
    const readAt = Date.now();
    const current = await currentLedger(ledger, customerId);
    const { answer, next } = requestSlot(
      { entries: current?.entries ?? [], intents: current?.intents ?? [] },
      slot,
    );
    if (!next || (await commit(ledger, customerId, current, next, now, readAt))) return answer;
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
): Promise<void> {
  for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
    const readAt = Date.now();
    const current = await currentLedger(ledger, customerId);
    if (!current || !current.entries.some((e) => e.key === key)) return;
    const next = { entries: current.entries.filter((e) => e.key !== key), intents: current.intents ?? [] };
    if (await commit(ledger, customerId, current, next, Date.now(), readAt)) return;
  }
  throw new LedgerContentionError(
    `contact ledger of ${customerId}: ${MAX_CONFLICTS} conflicting updates in a row`,
  );
}
