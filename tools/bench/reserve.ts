/**
 * Contact-slot reserve on the MongoDB-wire server: 16 concurrent clients for a fixed time, each
 * reserving for random customers under the shipped policy. Prints ops/s and latency percentiles.
 * `npx tsx tools/bench/reserve.ts [--seconds 10] [--customers 5000]`; uses MONGODB_URI or starts FerretDB.
 * tools/bench/main.ts calls benchReserve() for its decisions section.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startFerretDb, type FerretDb } from '../devstack/ferretdb';
import { freePort } from '../devstack/net';
import { loadPolicy } from '../../schemas/policy/load';
import { contactLedger, reserveContactSlot } from '../../store/contactLedger';
import { percentiles, type Percentiles } from './harness/stats';

const CLIENTS = 16;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

export interface ReserveFigures {
  clients: number;
  customers: number;
  seconds: number;
  /** Where it ran: a fresh FerretDB, or the MONGODB_URI given (credentials removed). */
  server: string;
  opsPerSecond: number;
  reserved: number;
  refused: number;
  latencyMs: Percentiles;
}

/** CLIENTS concurrent reservers for `seconds`, each on its own connection, random customers. */
export async function benchReserve(options: {
  seconds: number;
  customers: number;
  mongodbUri?: string;
}): Promise<ReserveFigures> {
  const { seconds, customers } = options;
  const dir = mkdtempSync(join(tmpdir(), 'journeys-bench-reserve-'));
  let ferret: FerretDb | undefined;
  const uri =
    options.mongodbUri || (ferret = await startFerretDb({ dataDir: dir, port: await freePort() })).uri;
  const { caps, weekStartsOn } = loadPolicy();
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, () => MongoClient.connect(uri, { maxPoolSize: 1 })),
  );
  const dbName = `bench_reserve_${Date.now()}`;
  const latencies: number[] = [];
  let reserved = 0;
  let refused = 0;
  const startedAt = Date.now();
  const deadline = startedAt + seconds * 1000;
  let seq = 0;
  try {
    await Promise.all(
      clients.map(async (client) => {
        const ledger = contactLedger(client.db(dbName));
        while (Date.now() < deadline) {
          const n = seq++;
          const started = process.hrtime.bigint();
          const result = await reserveContactSlot(ledger, {
            customerId: `c${Math.floor(Math.random() * customers)}`,
            key: `k${n}`,
            candidate: { channel: n % 2 === 0 ? 'email' : 'sms', playbookId: 'bench', transactional: false },
            rules: caps,
            calendar: { timeZone: 'Europe/Stockholm', weekStartsOn },
            now: Date.now(),
          });
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          if (result.status === 'reserved') reserved += 1;
          else refused += 1;
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await ferret?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const elapsedS = (Date.now() - startedAt) / 1000;
  return {
    clients: CLIENTS,
    customers,
    seconds: elapsedS,
    server: ferret ? 'FerretDB (SQLite), fresh' : uri.replace(/\/\/[^@]*@/, '//'),
    opsPerSecond: latencies.length / elapsedS,
    reserved,
    refused,
    latencyMs: percentiles(latencies),
  };
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 10);
  const customers = arg('customers', 5000);
  const mongodbUri = process.env.MONGODB_URI || undefined;
  const r = await benchReserve({ seconds, customers, ...(mongodbUri && { mongodbUri }) });
  console.log(
    `machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; server: ${r.server}`,
  );
  console.log(
    `clients: ${r.clients}, customers: ${r.customers}, duration: ${seconds} s, policy: policy/workspace.yaml`,
  );
  console.log(
    `reserve ops/s: ${r.opsPerSecond.toFixed(0)} (${r.reserved} reserved, ${r.refused} refused by a cap)`,
  );
  console.log(
    `latency ms: p50 ${r.latencyMs.p50.toFixed(2)}, p99 ${r.latencyMs.p99.toFixed(2)}, max ${r.latencyMs.max.toFixed(2)}`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
