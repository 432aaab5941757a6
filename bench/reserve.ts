/**
 * Contact-slot reserve on the MongoDB-wire server: 16 concurrent clients for a fixed time, each
 * reserving for random customers under the shipped policy. Prints ops/s and latency percentiles.
 * `npx tsx bench/reserve.ts [--seconds 10] [--customers 5000]`; uses MONGODB_URI or starts FerretDB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startFerretDb, type FerretDb } from '../devstack/ferretdb';
import { freePort } from '../devstack/net';
import { loadPolicy } from '../policy/load';
import { contactLedger, reserveContactSlot } from '../store/contactLedger';

const CLIENTS = 16;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 10);
  const customers = arg('customers', 5000);
  const dir = mkdtempSync(join(tmpdir(), 'journeys-bench-reserve-'));
  let ferret: FerretDb | undefined;
  const uri =
    process.env.MONGODB_URI || (ferret = await startFerretDb({ dataDir: dir, port: await freePort() })).uri;
  const { caps, weekStartsOn } = loadPolicy();
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, () => MongoClient.connect(uri, { maxPoolSize: 1 })),
  );
  const dbName = `bench_reserve_${Date.now()}`;
  const latencies: number[] = [];
  let reserved = 0;
  let refused = 0;
  const deadline = Date.now() + seconds * 1000;
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
  latencies.sort((a, b) => a - b);
  const ops = latencies.length;
  console.log(
    `machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; server: ${ferret ? 'FerretDB 1.24.2 (SQLite)' : uri.replace(/\/\/[^@]*@/, '//')}`,
  );
  console.log(
    `clients: ${CLIENTS}, customers: ${customers}, duration: ${seconds} s, policy: policy/workspace.yaml`,
  );
  console.log(
    `reserve ops/s: ${(ops / seconds).toFixed(0)} (${reserved} reserved, ${refused} refused by a cap)`,
  );
  console.log(
    `latency ms: p50 ${percentile(latencies, 50).toFixed(2)}, p99 ${percentile(latencies, 99).toFixed(2)}, max ${latencies.at(-1)?.toFixed(2)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
