import { randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { HoldoutScheme } from '../engine/measurement/holdout';
import { isDuplicateKeyError } from './duplicateKey';
import type { HoldoutSchemeRecord } from './collections';

/*
 * The holdout schemes, one record per epoch. Epochs are only ever inserted, under the unique `_id`,
 * so the history of reshuffles is complete and two writers can never both create the same epoch.
 */

/** What epoch 1 is made from when none exists yet: HOLDOUT_SALT and HOLDOUT_GLOBAL_CONTROL_PERCENT. */
export interface HoldoutBootstrap {
  salt: string;
  globalControlPercent: number;
}

export interface ReshuffleRequest {
  /** Required: a reshuffle without a reason would be exactly the accident the history prevents. */
  reason: string;
  /** Who asked for it (a person or a service). */
  by: string;
  /** Default: the current scheme's share. */
  globalControlPercent?: number;
  /** Default: 16 fresh random bytes, hex. */
  salt?: string;
}

/** A reshuffle that could not be recorded: a bad request, or another reshuffle won the epoch. */
export class ReshuffleError extends Error {
  override readonly name = 'ReshuffleError';
}

export function toScheme(record: HoldoutSchemeRecord): HoldoutScheme {
  return { epoch: record._id, salt: record.salt, globalControlPercent: record.globalControlPercent };
}

function latest(schemes: Collection<HoldoutSchemeRecord>): Promise<HoldoutSchemeRecord | null> {
  return schemes.findOne({}, { sort: { _id: -1 } });
}

function checkPercent(percent: number): void {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100)
    throw new ReshuffleError(`the global control share must be a percentage from 0 to 100, got ${percent}`);
}

/**
 * The scheme new entries use: the highest epoch. The first call on an empty database records
 * epoch 1 from the bootstrap; processes racing to do it all end with the same scheme, because only
 * one insert of `_id` 1 can succeed and the others read the winner's.
 */
export async function currentScheme(
  schemes: Collection<HoldoutSchemeRecord>,
  bootstrap: HoldoutBootstrap,
  now: Date = new Date(),
): Promise<HoldoutScheme> {
  const found = await latest(schemes);
  if (found) return toScheme(found);
  checkPercent(bootstrap.globalControlPercent);
  const initial: HoldoutSchemeRecord = {
    _id: 1,
    salt: bootstrap.salt,
    globalControlPercent: bootstrap.globalControlPercent,
    reason: 'initial scheme',
    by: 'bootstrap',
    createdAt: now,
  };
  try {
    await schemes.insertOne(initial);
    return toScheme(initial);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await latest(schemes);
    if (!winner) throw error;
    return toScheme(winner);
  }
}

/**
 * Records the next epoch: a new salt (so customers move between arms) and optionally a new global
 * share. An empty database gets epoch 1 this way, with no bootstrap record before it. Running
 * entries keep the arm they entered with; new entries use the new scheme (within the client's
 * cache time).
 */
export async function reshuffle(
  schemes: Collection<HoldoutSchemeRecord>,
  request: ReshuffleRequest,
  now: Date = new Date(),
): Promise<HoldoutScheme> {
  const reason = request.reason.trim();
  if (reason === '') throw new ReshuffleError('a reshuffle needs a reason');
  const by = request.by.trim();
  if (by === '') throw new ReshuffleError('a reshuffle needs to say who made it');
  const previous = await latest(schemes);
  const globalControlPercent = request.globalControlPercent ?? previous?.globalControlPercent;
  if (globalControlPercent === undefined)
    throw new ReshuffleError('there is no scheme yet: give the global control share');
  checkPercent(globalControlPercent);
  const salt = request.salt ?? randomBytes(16).toString('hex');
  if (salt === '') throw new ReshuffleError('the salt must not be empty');
  if (previous && salt === previous.salt)
    throw new ReshuffleError(`the salt is the one epoch ${previous._id} uses: nothing would move`);
  const record: HoldoutSchemeRecord = {
    _id: (previous?._id ?? 0) + 1,
    salt,
    globalControlPercent,
    reason,
    by,
    createdAt: now,
  };
  try {
    await schemes.insertOne(record);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    throw new ReshuffleError(
      `epoch ${record._id} was recorded by another reshuffle at the same moment; nothing was changed: ` +
        'check `journeys holdouts show` before trying again',
    );
  }
  return toScheme(record);
}

/** Every scheme, oldest first. */
export function schemeHistory(schemes: Collection<HoldoutSchemeRecord>): Promise<HoldoutSchemeRecord[]> {
  return schemes.find({}).sort({ _id: 1 }).toArray();
}
