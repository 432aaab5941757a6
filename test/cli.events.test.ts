import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { runEventsCommand } from '../cli/eventsCommand';
import { cartEvent, MemoryPublisher } from './support/memoryPublisher';

function run(args: string[], { stdin = Readable.from([]), publisher = new MemoryPublisher() } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runEventsCommand(args, {
    publisher,
    stdin,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return code.then((exitCode) => ({ exitCode, out, err, publisher }));
}

function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'events-cli-')), name);
  writeFileSync(file, content);
  return file;
}

describe('journeys events publish', () => {
  it('publishes the good lines and names the line and reason of each bad one', async () => {
    const [a, b, c] = [cartEvent('c-1'), cartEvent('c-2'), cartEvent('c-3')];
    const { customerId: _dropped, ...noCustomer } = cartEvent('c-4');
    const file = tempFile(
      'events.ndjson',
      [
        JSON.stringify(a),
        '',
        '{"eventId": "e-broken",',
        JSON.stringify(noCustomer),
        JSON.stringify(b),
        '   ',
        JSON.stringify({ ...c, data: { ...c.data, currency: 'euro' } }),
        JSON.stringify(a),
      ].join('\n') + '\n',
    );

    const { exitCode, out, err, publisher } = await run(['publish', file]);

    assert.equal(exitCode, 1);
    assert.equal(err.length, 3);
    assert.match(err[0] ?? '', new RegExp(`^${escape(file)}:3: invalid JSON: `));
    assert.equal(err[1], `${file}:4: customerId: Invalid input: expected string, received undefined`);
    assert.equal(err[2], `${file}:7: data.currency: expected an ISO 4217 currency code such as "EUR"`);
    assert.deepEqual(out, ['2 accepted, 1 duplicate, 3 rejected']);
    assert.deepEqual(
      publisher.accepted.map((e) => e.eventId),
      [a.eventId, b.eventId],
    );
  });

  it('reads standard input for -, in batches of 500 lines, and exits 0 when nothing is rejected', async () => {
    const events = Array.from({ length: 1200 }, (_, i) => cartEvent(`c-${i}`));
    const stdin = Readable.from(events.map((e) => `${JSON.stringify(e)}\r\n`));

    const { exitCode, out, err, publisher } = await run(['publish', '-'], { stdin });

    assert.equal(exitCode, 0);
    assert.deepEqual(err, []);
    assert.deepEqual(out, ['1200 accepted, 0 duplicate, 0 rejected']);
    assert.deepEqual(
      publisher.calls.map((call) => call.length),
      [500, 500, 200],
    );
  });

  it('names <stdin> in the problems read from standard input', async () => {
    const stdin = Readable.from([`${JSON.stringify(cartEvent())}\nnot json\n`]);
    const { exitCode, err } = await run(['publish', '-'], { stdin });
    assert.equal(exitCode, 1);
    assert.match(err[0] ?? '', /^<stdin>:2: invalid JSON: /);
  });

  it('says when publishing fails and how to retry, with exit code 1', async () => {
    const publisher = new MemoryPublisher();
    publisher.failWith = new Error('connect ECONNREFUSED 127.0.0.1:7233');
    const file = tempFile('events.ndjson', `${JSON.stringify(cartEvent())}\n`);
    const { exitCode, err, out } = await run(['publish', file], { publisher });
    assert.equal(exitCode, 1);
    assert.match(err[0] ?? '', /: publishing lines 1-1 failed: connect ECONNREFUSED/);
    assert.match(err[1] ?? '', /re-run the command to retry/);
    assert.deepEqual(out, ['0 accepted, 0 duplicate, 0 rejected']);
  });

  it('publishes what was read before a read error, then exits 2 saying where it stopped', async () => {
    const stdin = new Readable({ read() {} });
    stdin.push(`${JSON.stringify(cartEvent())}\n`);
    setTimeout(() => stdin.destroy(new Error('EIO: i/o error, read')), 10);
    const { exitCode, err, out, publisher } = await run(['publish', '-'], { stdin });
    assert.equal(exitCode, 2);
    assert.deepEqual(err, ['<stdin>: reading failed after line 1: EIO: i/o error, read']);
    assert.deepEqual(out, ['1 accepted, 0 duplicate, 0 rejected']);
    assert.equal(publisher.accepted.length, 1);
  });

  it('exits 2 naming a missing or unreadable file', async () => {
    const missing = join(tmpdir(), 'no-such-dir-journeys', 'events.ndjson');
    const { exitCode, err, publisher } = await run(['publish', missing]);
    assert.equal(exitCode, 2);
    assert.deepEqual(err, [`journeys events publish: cannot read "${missing}": no such file`]);
    assert.equal(publisher.calls.length, 0);

    const directory = await run(['publish', tmpdir()]);
    assert.equal(directory.exitCode, 2);
    assert.match(directory.err[0] ?? '', /cannot read ".*": it is a directory/);
  });

  it('exits 2 with the usage for a missing argument or unknown subcommand', async () => {
    for (const args of [[], ['publish'], ['push', 'x.ndjson'], ['publish', 'a', 'b']]) {
      const { exitCode, err } = await run(args);
      assert.equal(exitCode, 2, args.join(' '));
      assert.match(err.at(-1) ?? '', /^usage: journeys events publish <file\.ndjson\|->/);
    }
    const missing = await run(['publish']);
    assert.match(missing.err[0] ?? '', /missing file argument/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
