import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { isDuplicateKeyError } from './duplicateKey';
import type { CountDeltas } from './runProgress';
import { upsertRacing } from './upsert';
import { KeyedSerial } from './keyedSerial';

/*
 * The counts a console shows (runs per playbook per step, sends and suppressions per playbook per
 * day), kept as they happen and read by `_id`. Several worker processes add to them, and FerretDB
 * 1.24's `$inc` is not atomic across writers (it reads, then writes), so each process adds only to
 * its own shard of a counter, `<counter key>|<writer>`, one write at a time per shard; a reader sums
 * the shards of the writers listed in `counter_writers`. Whether a batch is counted at all is
 * decided before this, by a unique insert (see store/runSummaries.ts): counts never repeat a batch.
 */

/** One writer's share of one counter: counter fields (escaped, see fieldName) to totals. */
export interface CounterShardRecord {
  _id: string;
  key: string;
  writer: string;
  counts: Record<string, number>;
}

/** A process that has written shards: readers look for one shard per key under each of these. */
export interface CounterWriterRecord {
  _id: string;
  since: Date;
}

export function counterCollections(db: Db) {
  return {
    shards: db.collection<CounterShardRecord>('counter_shards'),
    writers: db.collection<CounterWriterRecord>('counter_writers'),
  };
}
export type CounterCollections = ReturnType<typeof counterCollections>;

/** The counter of a playbook's runs by step. */
export function stepsKey(playbookId: string): string {
  return `steps|${playbookId}`;
}

/** The counter of a playbook's sends and suppressions on one UTC day (`YYYY-MM-DD`). */
export function dayKey(playbookId: string, day: string): string {
  return `day|${playbookId}|${day}`;
}

/**
 * Counter fields are reasons and step IDs: a `.` would make `$inc` descend, a leading `$` is refused.
 * Both, and the escape itself, are percent-escaped.
 */
function fieldName(field: string): string {
  return field.replace(/[%.$]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function fieldValue(stored: string): string {
  return stored.replace(/%(25|2E|24)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * This process's shards. One instance per process (the worker makes one): its writes to one shard
 * are chained, so no two of its own `$inc`s on a document ever overlap.
 */
export class CounterWriter {
  private readonly serial = new KeyedSerial();
  private registered: Promise<void> | undefined;

  constructor(
    private readonly stores: CounterCollections,
    readonly writer: string = randomUUID(),
  ) {}

  /** Adds a run batch's deltas to the playbook's counters. */
  async addDeltas(playbookId: string, deltas: CountDeltas): Promise<void> {
    const writes = [this.add(stepsKey(playbookId), deltas.steps)];
    for (const [day, counts] of Object.entries(deltas.days))
      writes.push(this.add(dayKey(playbookId, day), counts));
    await Promise.all(writes);
  }

  async add(key: string, counts: Readonly<Record<string, number>>): Promise<void> {
    const inc = Object.fromEntries(
      Object.entries(counts)
        .filter(([, by]) => by !== 0)
        .map(([field, by]) => [`counts.${fieldName(field)}`, by]),
    );
    if (Object.keys(inc).length === 0) return;
    await this.register();
    const _id = `${key}|${this.writer}`;
    await this.serial.run(_id, () =>
      upsertRacing(() =>
        this.stores.shards.updateOne(
          { _id },
          { $inc: inc, $setOnInsert: { key, writer: this.writer } },
          { upsert: true },
        ),
      ),
    );
  }

  /** Lists this writer once, before its first shard exists, so no reader misses a shard. */
  private register(): Promise<void> {
    this.registered ??= this.stores.writers.insertOne({ _id: this.writer, since: new Date() }).then(
      () => undefined,
      (error: unknown) => {
        if (!isDuplicateKeyError(error)) {
          this.registered = undefined;
          throw error;
        }
      },
    );
    return this.registered;
  }
}

/**
 * The sums of counters across writers, each counter as field → total. The writers' registry is a
 * scan, of one small document per worker process that ever counted; every shard is a point read.
 */
export async function readCounters(
  stores: CounterCollections,
  keys: readonly string[],
): Promise<Map<string, Record<string, number>>> {
  const writers = await stores.writers.find({}, { projection: { _id: 1 } }).toArray();
  const sums = new Map<string, Record<string, number>>(keys.map((key) => [key, {}]));
  await Promise.all(
    keys.flatMap((key) =>
      writers.map(async ({ _id: writer }) => {
        const shard = await stores.shards.findOne({ _id: `${key}|${writer}` });
        const sum = sums.get(key)!;
        for (const [stored, by] of Object.entries(shard?.counts ?? {})) {
          const field = fieldValue(stored);
          sum[field] = (sum[field] ?? 0) + by;
        }
      }),
    ),
  );
  return sums;
}

/** A playbook's runs by step, and its sends and suppressions by day, as a console shows them. */
export interface PlaybookCounts {
  playbookId: string;
  /** Runs that entered (and recorded their entry decision). */
  entered: number;
  /** Runs that ended, by their exit reason (`completed`, `goal:order.placed`, …). */
  ended: Record<string, number>;
  /**
   * By step: `at`, the runs whose latest decision was at this step and that have not ended (a run
   * waiting after a send is still "at" that send: wait steps decide nothing); `passed`, the runs that
   * made a decision at it. `(entered)` holds the runs that have decided nothing at a step yet.
   */
  steps: { step: string; at: number; passed: number }[];
  /** One per UTC day in the period with anything counted, oldest first. */
  days: DayCounts[];
}

export interface DayCounts {
  day: string;
  /** `send` decisions (a slot was taken and the message handed to the provider), by channel. */
  sends: Record<string, number>;
  /** `suppress` decisions by reason: blocked, stale, capped, or refused by the provider. */
  suppressions: Record<string, number>;
  /** What the holdout arm would have been sent, by channel. */
  holdouts: Record<string, number>;
  /** Sends put off (quiet hours, caps, arbitration), by reason. */
  defers: Record<string, number>;
}

/** The UTC days from `from` to `to`, both included, as `YYYY-MM-DD`. */
export function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  const end = to.toISOString().slice(0, 10);
  for (let t = Date.parse(from.toISOString().slice(0, 10)); ; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (day > end) return days;
    days.push(day);
  }
}

/** A playbook's counts, with its days from `from` to `to` (UTC, both included). */
export async function playbookCounts(
  stores: CounterCollections,
  playbookId: string,
  period: { from: Date; to: Date },
): Promise<PlaybookCounts> {
  const days = daysBetween(period.from, period.to);
  const sums = await readCounters(stores, [
    stepsKey(playbookId),
    ...days.map((day) => dayKey(playbookId, day)),
  ]);
  const steps = new Map<string, { step: string; at: number; passed: number }>();
  const stepOf = (step: string) => steps.get(step) ?? steps.set(step, { step, at: 0, passed: 0 }).get(step)!;
  const counts: PlaybookCounts = { playbookId, entered: 0, ended: {}, steps: [], days: [] };
  for (const [field, value] of Object.entries(sums.get(stepsKey(playbookId)) ?? {})) {
    const [kind, detail = ''] = splitField(field);
    if (kind === 'entered') counts.entered += value;
    else if (kind === 'ended') counts.ended[detail] = value;
    else if (kind === 'at') stepOf(detail).at += value;
    else if (kind === 'passed') stepOf(detail).passed += value;
  }
  // By name: the counters do not know the playbook's step order (`(entered)` sorts first).
  counts.steps = [...steps.values()]
    .filter((s) => s.at !== 0 || s.passed !== 0)
    .sort((a, b) => (a.step < b.step ? -1 : a.step > b.step ? 1 : 0));
  for (const day of days) {
    const fields = Object.entries(sums.get(dayKey(playbookId, day)) ?? {}).filter(([, value]) => value !== 0);
    if (fields.length === 0) continue;
    const row: DayCounts = { day, sends: {}, suppressions: {}, holdouts: {}, defers: {} };
    const into = { send: row.sends, suppress: row.suppressions, holdout: row.holdouts, defer: row.defers };
    for (const [field, value] of fields) {
      const [action, detail = ''] = splitField(field);
      if (action in into) into[action as keyof typeof into][detail] = value;
    }
    counts.days.push(row);
  }
  return counts;
}

/** `at:reminder` → [`at`, `reminder`]; a reason may hold `:` itself (`cap:email ≤ 1 per day`). */
function splitField(field: string): [string, string?] {
  const colon = field.indexOf(':');
  return colon < 0 ? [field] : [field.slice(0, colon), field.slice(colon + 1)];
}
