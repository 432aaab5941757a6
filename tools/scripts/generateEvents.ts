/** `npx tsx tools/scripts/generateEvents.ts --customers N --days D --out file.ndjson [--seed S]` */
import { createWriteStream } from 'node:fs';
import { syntheticEvents } from '../../simulator/syntheticEvents';

async function main(): Promise<void> {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
  };
  const customers = Number(arg('customers', '1000'));
  const days = Number(arg('days', '90'));
  const out = arg('out', 'events.ndjson');
  const start = Date.parse(arg('start', '2026-08-01T00:00:00Z'));
  const stream = createWriteStream(out);
  let count = 0;
  for (const event of syntheticEvents({ customers, days, start, seed: Number(arg('seed', '42')) })) {
    if (!stream.write(`${JSON.stringify(event)}\n`))
      await new Promise<void>((r) => stream.once('drain', () => r()));
    count += 1;
  }
  await new Promise<void>((resolve) => stream.end(resolve));
  console.error(`wrote ${count} events for ${customers} customers over ${days} days to ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
