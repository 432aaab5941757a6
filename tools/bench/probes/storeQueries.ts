/**
 * Probe for issue 16, item 2: how the embedded MongoDB-wire server's query cost grows with the
 * size of the events inbox. Inserts documents shaped like store/events.ts's records (20 events per
 * customer, so every customer query returns about the same number of documents at each size),
 * then times, at each size:
 *   id      findOne({ _id })
 *   eq      find({ customerId }) with createIndex({ customerId: 1, occurredAt: -1 }) in place
 *   eqSort  the same, sorted by occurredAt descending
 *   group   aggregate([{ $group: { _id: '$type', n: { $sum: 1 } } }]) over the whole collection
 * and prints one JSON line per (size, query) with the median ms, then FerretDB's explain of `eqSort`.
 * With `--psql <postgres URL>` (FerretDB's PostgreSQL backend), it also creates the index the
 * pushed-down filters can use, `USING gin ((_jsonb->'<field>') jsonb_path_ops)` on `_id` and
 * customerId, with psql: the btree FerretDB makes for createIndex (and its own unique `_id` index)
 * cannot serve the `@>` it emits (shared STACK.md).
 * `npx tsx tools/bench/probes/storeQueries.ts --uri mongodb://127.0.0.1:27117/ --label sqlite [--sizes 10000,100000]`
 * Not a test: the figures depend on the machine. See tools/bench/probes/FINDINGS.md.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { MongoClient, type Collection } from 'mongodb';
import { formatMachine, machineInfo } from '../harness/machine';

interface ProbeEvent {
  _id: string;
  eventId: string;
  type: string;
  customerId: string;
  occurredAt: Date;
  receivedAt: Date;
  status: 'routed';
  routedTo: string[];
  payload: Record<string, unknown>;
}

const TYPES = ['product_viewed', 'cart_updated', 'order_placed', 'email_opened', 'page_viewed'];
const PER_CUSTOMER = 20;
const BATCH = 1000;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function customerName(n: number): string {
  return `cust-${String(n).padStart(7, '0')}`;
}

/** Event i belongs to customer floor(i / 20): a size's customers are complete whatever the size. */
function eventAt(i: number): ProbeEvent {
  const customerId = customerName(Math.floor(i / PER_CUSTOMER));
  const type = TYPES[i % TYPES.length] ?? 'page_viewed';
  const occurredAt = new Date(Date.UTC(2026, 0, 1) + i * 1000);
  const eventId = `evt-${String(i).padStart(9, '0')}`;
  return {
    _id: eventId,
    eventId,
    type,
    customerId,
    occurredAt,
    receivedAt: occurredAt,
    status: 'routed',
    routedTo: [`pb-cart:${customerId}`],
    payload: {
      eventId,
      type,
      customerId,
      occurredAt: occurredAt.toISOString(),
      sku: `sku-${i % 997}`,
      price: 19.9,
    },
  };
}

/** Median ms of `run`, repeated up to 20 times or until 5 s have passed (at least 3 times). */
async function timeMedian(run: (rep: number) => Promise<unknown>): Promise<{ ms: number; reps: number }> {
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < 20 && (samples.length < 3 || performance.now() - started < 5000)) {
    const t = performance.now();
    await run(samples.length);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { ms: Number((samples[Math.floor(samples.length / 2)] ?? NaN).toFixed(2)), reps: samples.length };
}

async function fill(events: Collection<ProbeEvent>, from: number, to: number): Promise<number> {
  const t = performance.now();
  for (let start = from; start < to; start += BATCH) {
    const docs = [];
    for (let i = start; i < Math.min(to, start + BATCH); i++) docs.push(eventAt(i));
    await events.insertMany(docs, { ordered: false });
  }
  return Math.round((to - from) / ((performance.now() - t) / 1000));
}

/**
 * Creates GIN indexes on `_id` and customerId for the events table FerretDB made in schema `schema`:
 * FerretDB pushes `_id` down as the same `@>`, so its own unique btree on `_id` is never used.
 */
function addGinIndex(url: string, schema: string): void {
  const query = (sql: string): string =>
    execFileSync('psql', [url, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' }).trim();
  const table = query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name LIKE 'events%'`,
  );
  for (const field of ['_id', 'customerId'])
    query(
      `CREATE INDEX "events_${field}_gin" ON "${schema}"."${table}" USING gin ((_jsonb->'${field}') jsonb_path_ops)`,
    );
}

async function main(): Promise<void> {
  const uri = arg('uri', 'mongodb://127.0.0.1:27117/');
  const label = arg('label', uri);
  const sizes = arg('sizes', '10000,100000').split(',').map(Number);
  console.log(
    `# ${label} ${formatMachine(await machineInfo(uri))} load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  const client = await MongoClient.connect(uri);
  try {
    const db = client.db(`probe_${label.replace(/\W/g, '_')}`);
    await db.dropDatabase();
    const events = db.collection<ProbeEvent>('events');
    await events.createIndex({ customerId: 1, occurredAt: -1 }, { name: 'customer_recent' });
    const psql = arg('psql', '');
    if (psql !== '') addGinIndex(psql, db.databaseName);
    let stored = 0;
    for (const size of sizes) {
      const docsPerSecond = await fill(events, stored, size);
      stored = size;
      const sampleCustomer = (rep: number): string =>
        customerName((rep * 7919 + 13) % Math.floor(size / PER_CUSTOMER));
      const results = {
        id: await timeMedian((rep) =>
          events.findOne({ _id: `evt-${String((rep * 104729) % size).padStart(9, '0')}` }),
        ),
        eq: await timeMedian((rep) => events.find({ customerId: sampleCustomer(rep) }).toArray()),
        eqSort: await timeMedian((rep) =>
          events
            .find({ customerId: sampleCustomer(rep) })
            .sort({ occurredAt: -1 })
            .toArray(),
        ),
        group: await timeMedian(() =>
          events.aggregate([{ $group: { _id: '$type', n: { $sum: 1 } } }]).toArray(),
        ),
      };
      const returned = (await events.find({ customerId: sampleCustomer(1) }).toArray()).length;
      console.log(
        JSON.stringify({
          backend: label,
          stored: size,
          insertDocsPerSecond: docsPerSecond,
          returned,
          ...results,
        }),
      );
    }
    const explain = await events
      .find({ customerId: customerName(1) })
      .sort({ occurredAt: -1 })
      .explain();
    console.log(`# explain eqSort: ${JSON.stringify(explain)}`);
  } finally {
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
