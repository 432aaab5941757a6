import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Collection } from 'mongodb';
import type { Arm } from '../engine/measurement/holdout';
import type { CellParts } from '../engine/measurement/liftCells';

/*
 * The lift rollup's documents (engine/measurement/liftCells.ts says what they sum). A cell is
 * written by increments from every process that routes events, and FerretDB's `$inc` is a
 * read-then-write that two processes can interleave: so each process writes its own shard of a
 * cell (`<playbook>|<day>|<writer>`), its increments serialised in-process, and lists the cells it
 * has in its own registry document. The report reads the registries (one small document per writer
 * process ever started), then each shard by `_id`, and adds the shards up.
 */

export interface LiftCellRecord {
  /** `<playbookId>|<day>|<writerId>`. */
  _id: string;
  playbookId: string;
  /** The UTC day of the entries (`2026-10-01`). */
  day: string;
  parts: CellParts;
}

export interface LiftWriterRecord {
  /** The writer process (or `rebuild`). */
  _id: string;
  /** The cells (`<playbookId>|<day>`) it holds a shard of. */
  cells: string[];
}

export interface LiftCellCollections {
  liftCells: Collection<LiftCellRecord>;
  liftWriters: Collection<LiftWriterRecord>;
}

const cellKey = (playbookId: string, day: string) => `${playbookId}|${day}`;

/** Runs tasks of one key one after another, in the order they were asked for. */
class Serial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}

/** One process's shards of the cells: the only writer of them and of its registry document. */
export class LiftCellWriter {
  readonly writerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly registered = new Set<string>();
  private readonly serial = new Serial();

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
      // Registered first, so a reader never misses a shard that holds something.
      if (!this.registered.has(key)) {
        await this.serial.run('registry', () =>
          this.collections.liftWriters.updateOne(
            { _id: this.writerId },
            { $addToSet: { cells: key } },
            { upsert: true },
          ),
        );
        this.registered.add(key);
      }
      await this.collections.liftCells.updateOne(
        { _id: `${key}|${this.writerId}` },
        { $set: { playbookId, day }, $inc },
        { upsert: true },
      );
    });
  }
}

/** Shards read at once: point reads, so a few in flight hide the round trips. */
const READ_CONCURRENCY = 8;

/**
 * The cells of one playbook (or all), for entry days in [fromDay, toDay). The writers registry is
 * scanned whole: one document per writer process, a small collection.
 */
export async function readCells(
  collections: LiftCellCollections,
  query: { playbookId?: string; fromDay?: string; toDay?: string },
): Promise<LiftCellRecord[]> {
  const ids: string[] = [];
  for await (const writer of collections.liftWriters.find({})) {
    for (const key of writer.cells) {
      const [playbookId, day] = key.split('|') as [string, string];
      if (query.playbookId !== undefined && playbookId !== query.playbookId) continue;
      if (query.fromDay !== undefined && day < query.fromDay) continue;
      if (query.toDay !== undefined && day >= query.toDay) continue;
      ids.push(`${key}|${writer._id}`);
    }
  }
  const out: LiftCellRecord[] = [];
  for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
    const found = await Promise.all(
      ids.slice(i, i + READ_CONCURRENCY).map((_id) => collections.liftCells.findOne({ _id })),
    );
    for (const cell of found) if (cell) out.push(cell);
  }
  return out;
}

/** Replaces every shard and registry with the given cells, under the writer `rebuild`. */
export async function replaceAllCells(
  collections: LiftCellCollections,
  cells: ReadonlyMap<string, { playbookId: string; day: string; parts: CellParts }>,
): Promise<void> {
  await collections.liftCells.deleteMany({});
  await collections.liftWriters.deleteMany({});
  const records = [...cells].map(([key, cell]) => ({ _id: `${key}|rebuild`, ...cell }));
  for (let i = 0; i < records.length; i += 500)
    await collections.liftCells.insertMany(records.slice(i, i + 500));
  await collections.liftWriters.insertOne({ _id: 'rebuild', cells: [...cells.keys()] });
}

export { cellKey };
