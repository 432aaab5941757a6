import type { Collections } from '../../../store/collections';
import { benchEmail } from './playbooks';

/** Profiles per insertMany: FerretDB's SQLite backend takes large batches well, one by one badly. */
const BATCH = 1000;

/** `<prefix>-<index>`: one fresh customer per event, so every event starts its own run. */
export function benchCustomerId(prefix: string, index: number): string {
  return `${prefix}-${index}`;
}

/**
 * Creates the customers a load will use, before it starts, so the measured path is the event's
 * alone (an email address is what a send needs; without a profile the run would skip it).
 */
export async function seedCustomers(
  cols: Collections,
  prefix: string,
  count: number,
  from = 0,
): Promise<void> {
  const now = new Date();
  for (let start = from; start < from + count; start += BATCH) {
    const end = Math.min(from + count, start + BATCH);
    const docs = [];
    for (let i = start; i < end; i++) {
      const id = benchCustomerId(prefix, i);
      docs.push({ _id: id, firstName: `Bench${i}`, email: benchEmail(id), updatedAt: now });
    }
    await cols.profiles.insertMany(docs, { ordered: false });
  }
}
