import type { Collection, Db, Document, ObjectId } from 'mongodb';
import { isDuplicateKeyError } from './duplicateKey';

/**
 * A record being moved to its business key, parked here between deleting it under its old `_id`
 * and inserting it under the new one: the unique index on the business key forbids holding both,
 * and a crash in between must not lose it. `_id` is `<collection>|<business key>`.
 */
interface ParkedRecord {
  _id: string;
  collection: string;
  legacyId: ObjectId | string;
  record: Document & { _id: string };
}

function parking(db: Db): Collection<ParkedRecord> {
  return db.collection<ParkedRecord>('rekey_parking');
}

/** Deletes the old record (if still there), inserts it under its key (if not yet), unparks it. */
async function move(db: Db, parked: ParkedRecord): Promise<void> {
  const collection = db.collection<{ _id: ObjectId | string }>(parked.collection);
  await collection.deleteOne({ _id: parked.legacyId });
  try {
    await collection.insertOne(parked.record);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error; // moved already, by an earlier attempt
  }
  await parking(db).deleteOne({ _id: parked._id });
}

/**
 * Moves every record of `name` stored under a generated ObjectId to `_id` = its business key
 * (`keyField`), so every later read and write of it is a point access by `_id` and no reader needs
 * a fallback query on the key (which FerretDB 1.24 answers by reading the whole collection). Run
 * once per database by store/migrations.ts; safe to run again, and a run that died part-way is
 * finished by the next (the parked records first).
 */
export async function rekeyByBusinessKey(db: Db, name: string, keyField: string): Promise<number> {
  for await (const parked of parking(db).find({ collection: name })) await move(db, parked);
  let moved = 0;
  const legacy = db.collection(name).find({ _id: { $type: 'objectId' } });
  for await (const record of legacy) {
    const key: unknown = record[keyField];
    if (typeof key !== 'string') continue; // not a keyed record: nothing to move it to
    const parked: ParkedRecord = {
      _id: `${name}|${key}`,
      collection: name,
      legacyId: record._id,
      record: { ...record, _id: key },
    };
    await parking(db).replaceOne({ _id: parked._id }, parked, { upsert: true });
    await move(db, parked);
    moved += 1;
  }
  return moved;
}
