import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Collection } from 'mongodb';
import type { Arm } from '../engine/measurement/holdout';
import type { CellParts } from '../engine/measurement/liftCells';
import { isDuplicateKeyError } from './duplicateKey';
import { KeyedSerial } from './keyedSerial';

/*
 * The lift rollup's documents (engine/measurement/liftCells.ts says what they sum). A cell is
 * written by increments from every process that routes events, and FerretDB's `$inc` is a
 * read-then-write that two processes can interleave: so each process writes its own shard of a
 * cell (`<playbook>|<day>|<writer>`), its increments serialised in-process, and the report adds
 * the shards up.
 *
 * The report lists the playbooks (`lift_playbooks`, one document each: a small collection) and
 * reads each one's shards with one query on playbook and day (index `playbook_day`). On FerretDB
 * that reads the whole cells collection, which grows with playbooks × days × writer processes,
 * never with events: 15 playbooks over a year from two processes are ~11,000 documents, ~0.5 s
 * to scan, where reading the same shards one by one by `_id` costs a round trip each (measured:
 * ~1 ms idle, 13 ms on a loaded machine).
 */

export interface LiftCellRecord {
  /** `<playbookId>|<day>|<writerId>`. */
  _id: string;
  playbookId: string;
  /** The UTC day of the entries (`2026-10-01`). */
  day: string;
  parts: CellParts;
}

/** A playbook with cells: one small document per playbook ever counted, so the report can list them. */
export interface LiftPlaybookRecord {
  _id: string;
}

export interface LiftCellCollections {
  liftCells: Collection<LiftCellRecord>;
  liftPlaybooks: Collection<LiftPlaybookRecord>;
}

const cellKey = (playbookId: string, day: string) => `${playbookId}|${day}`;

/** One process's shards of the cells: the only writer of them and of its registry document. */
export class LiftCellWriter {
  readonly writerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly serial = new KeyedSerial();
  private readonly listed = new Set<string>();

  constructor(private readonly collections: LiftCellCollections) {}

  /** Adds an entry's delta (entryDelta) to its cell, in the part of its previous entry's day. */
  add(
    playbookId: string,
    day: string,
    previousDay: string,
    arm: Arm,
    delta: Record<string, number>,
  ): Promise<void> {
    if (Object.keys(delta).length === 0) return Promise.resolve();
    const key = cellKey(playbookId, day);
    const $inc = Object.fromEntries(
      Object.entries(delta).map(([path, value]) => [`parts.${previousDay}.${arm}.${path}`, value]),
    );
    return this.serial.run(key, async () => {
      if (!this.listed.has(playbookId)) {
        // An insert by `_id`: atomic and idempotent, whoever lists the playbook first.
        try {
          await this.collections.liftPlaybooks.insertOne({ _id: playbookId });
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        this.listed.add(playbookId);
      }
      await this.collections.liftCells.updateOne(
        { _id: `${key}|${this.writerId}` },
        { $set: { playbookId, day }, $inc },
        { upsert: true },
      );
    });
  }
}

/**
 * The shards of one playbook's cells (or every listed playbook's), for entry days in
 * [fromDay, toDay): one query per playbook, on the index's leading key.
 */
export async function readCells(
  collections: LiftCellCollections,
  query: { playbookId?: string; fromDay?: string; toDay?: string },
): Promise<LiftCellRecord[]> {
  const day = {
    ...(query.fromDay !== undefined && { $gte: query.fromDay }),
    ...(query.toDay !== undefined && { $lt: query.toDay }),
  };
  const playbookIds =
    query.playbookId !== undefined
      ? [query.playbookId]
      : (await collections.liftPlaybooks.find({}).toArray()).map((record) => record._id);
  const out: LiftCellRecord[] = [];
  for (const playbookId of playbookIds)
    out.push(
      ...(await collections.liftCells
        .find({ playbookId, ...(Object.keys(day).length > 0 && { day }) })
        .toArray()),
    );
  return out;
}

/** Declared for real MongoDB; FerretDB scans the (small) collection whatever the index. */
export async function ensureLiftCellIndexes(collections: LiftCellCollections): Promise<void> {
  await collections.liftCells.createIndex({ playbookId: 1, day: 1 }, { name: 'playbook_day' });
}

/** Replaces every shard with the given cells, under the writer `rebuild`. */
export async function replaceAllCells(
  collections: LiftCellCollections,
  cells: ReadonlyMap<string, { playbookId: string; day: string; parts: CellParts }>,
): Promise<void> {
  await collections.liftCells.deleteMany({});
  await collections.liftPlaybooks.deleteMany({});
  const playbookIds = [...new Set([...cells.values()].map((cell) => cell.playbookId))];
  if (playbookIds.length > 0) await collections.liftPlaybooks.insertMany(playbookIds.map((_id) => ({ _id })));
  const records = [...cells].map(([key, cell]) => ({ _id: `${key}|rebuild`, ...cell }));
  for (let i = 0; i < records.length; i += 500)
    await collections.liftCells.insertMany(records.slice(i, i + 500));
}

export { cellKey };
