import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { startStack, type Stack } from '../tools/devstack/stack';
import { runCli, spawnCli } from './support/cli';
import { cartUpdated, customerEvent, uniqueId } from './support/events';
import { tempDir } from './support/servers';

/*
 * `journeys events publish` of a large file, killed mid-file and run again, on the Temporal CLI dev
 * server and FerretDB (or MONGODB_URI): the rerun resumes from <file>.progress, the batch in flight
 * at the kill is published again and its events already accepted come back as duplicates, and every
 * event of the file is in the inbox once.
 */
describe('journeys events publish, killed and resumed', () => {
  const dir = tempDir('journeys-resume');
  let stack: Stack;
  let mongo: MongoClient;
  const env: Record<string, string> = {};

  before(async () => {
    const mongodbUri = process.env.MONGODB_URI || undefined;
    stack = await startStack({ dataDir: dir.path, ...(mongodbUri ? { mongodbUri } : {}) });
    Object.assign(env, stack.env, { MONGODB_DB: `resume_${Date.now()}` });
    mongo = await MongoClient.connect(stack.mongodbUri);
  });
  after(async () => {
    await mongo?.close();
    await stack?.stop();
    dir.remove();
  });

  it('resumes after the last acknowledged batch, with every event in the inbox once', async () => {
    const lines = 3000;
    const events = Array.from({ length: lines }, (_, i) => {
      const customerId = `resume-${i % 300}`;
      return i % 2 === 0
        ? customerEvent('customer.upserted', customerId, { email: `${customerId}@example.test` })
        : cartUpdated(customerId);
    });
    const file = join(dir.path, `${uniqueId('events')}.ndjson`);
    writeFileSync(file, events.map((event) => `${JSON.stringify(event)}\n`).join(''));

    // Killed (SIGKILL: no clean-up of any kind) once two batches were acknowledged.
    const child = spawnCli(['events', 'publish', file], env);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    const killedAt = await new Promise<number>((resolve, reject) => {
      const poll = setInterval(() => {
        const line = checkpointLine(file);
        if (line !== undefined && line >= 1000) {
          child.kill('SIGKILL');
          clearInterval(poll);
          resolve(line);
        }
      }, 10);
      child.on('exit', () => {
        clearInterval(poll);
        reject(new Error(`the CLI ended before it was killed: ${stderr}`));
      });
    });
    assert.equal(await exited, 'SIGKILL');
    assert.ok(killedAt < lines, `killed mid-file, after line ${killedAt}`);

    const rerun = await runCli(
      ['events', 'publish', file],
      { uri: stack.mongodbUri, db: env.MONGODB_DB! },
      env,
    );
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, new RegExp(`resuming after line (\\d+) `));
    const resumedAfter = Number(/resuming after line (\d+) /.exec(rerun.stderr)?.[1]);
    assert.ok(resumedAfter >= killedAt && resumedAfter < lines, `resumed after line ${resumedAfter}`);
    const summary = /^(\d+) accepted, (\d+) duplicate, 0 rejected$/.exec(rerun.out.at(-1) ?? '');
    assert.ok(summary, rerun.stdout);
    const [accepted, duplicate] = [Number(summary[1]), Number(summary[2])];
    assert.equal(accepted + duplicate, lines, 'every line counted once, across both runs');
    assert.ok(
      duplicate <= 500,
      `only the batch in flight at the kill comes back as duplicates (${duplicate})`,
    );
    assert.equal(existsSync(`${file}.progress`), false);

    const inbox = mongo.db(env.MONGODB_DB).collection('events');
    assert.equal(await inbox.countDocuments({}), lines, 'every event once');
    assert.equal(await inbox.countDocuments({ status: 'routed' }), lines, 'and every one routed');
  });
});

function checkpointLine(file: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(`${file}.progress`, 'utf8')) as { line: number }).line;
  } catch {
    return undefined; // not written yet, or being renamed into place
  }
}
