import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { runEventsCommand } from '../cli/eventsCommand';
import { ndjsonLines } from '../cli/ndjsonLines';
import { PublishProgress } from '../cli/publishProgress';
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

/** A publisher whose calls from the `failFrom`-th on fail, as when the store goes away mid-file. */
class FailingPublisher extends MemoryPublisher {
  failFrom = Infinity;
  override publishEvents(inputs: readonly unknown[]) {
    this.failWith = this.calls.length + 1 >= this.failFrom ? new Error('connection reset') : undefined;
    return super.publishEvents(inputs);
  }
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

  it('keeps <file>.progress after each acknowledged batch, and a rerun resumes after it', async () => {
    const events = Array.from({ length: 1300 }, (_, i) => cartEvent(`c-${i}`));
    const file = tempFile('resume.ndjson', events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const publisher = new FailingPublisher();
    publisher.failFrom = 3; // lines 1001-1300 fail

    const first = await run(['publish', file], { publisher });
    assert.equal(first.exitCode, 1);
    assert.deepEqual(first.out, ['1000 accepted, 0 duplicate, 0 rejected']);
    const checkpoint = JSON.parse(readFileSync(`${file}.progress`, 'utf8')) as {
      line: number;
      offset: number;
    };
    assert.equal(checkpoint.line, 1000);
    const bytes = readFileSync(file);
    assert.equal(bytes.subarray(0, checkpoint.offset).toString().split('\n').length - 1, 1000);

    publisher.failFrom = Infinity;
    const second = await run(['publish', file], { publisher });
    assert.equal(second.exitCode, 0);
    assert.match(second.err[0] ?? '', /resuming after line 1000 /);
    assert.deepEqual(
      second.out,
      ['1300 accepted, 0 duplicate, 0 rejected'],
      'the counts include the first run',
    );
    assert.deepEqual(
      publisher.calls.slice(3).map((call) => call.length),
      [300],
      'only the lines after the checkpoint',
    );
    assert.equal(publisher.accepted.length, 1300);
    assert.equal(existsSync(`${file}.progress`), false, 'removed once the whole file is published');
  });

  it('does not resume a file that changed since its checkpoint, unless told --restart', async () => {
    const events = Array.from({ length: 700 }, (_, i) => cartEvent(`c-${i}`));
    const file = tempFile('changed.ndjson', events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const publisher = new FailingPublisher();
    publisher.failFrom = 2;
    assert.equal((await run(['publish', file], { publisher })).exitCode, 1);
    appendFileSync(file, `${JSON.stringify(cartEvent('late'))}\n`);
    publisher.failFrom = Infinity;

    const refused = await run(['publish', file], { publisher });
    assert.equal(refused.exitCode, 2);
    assert.match(refused.err[0] ?? '', /changed since .*\.progress was written.*pass --restart/);

    const restarted = await run(['publish', file, '--restart'], { publisher });
    assert.equal(restarted.exitCode, 0);
    assert.deepEqual(restarted.out, ['201 accepted, 500 duplicate, 0 rejected']);
  });

  it('reads lines with the byte offset after each, across chunks, CRLF and multibyte characters', async () => {
    const text = '{"a":"é"}\r\n\n{"b":"日本"}\n{"c":1}';
    const chunks = [
      Buffer.from(text).subarray(0, 7),
      Buffer.from(text).subarray(7, 20),
      Buffer.from(text).subarray(20),
    ];
    const lines = [];
    for await (const line of ndjsonLines(Readable.from(chunks), 100)) lines.push(line);
    // 10 bytes + CRLF, a blank line, 14 bytes + LF, 7 bytes and no newline at the end.
    const ends = [12, 13, 28, 35].map((n) => 100 + n);
    assert.deepEqual(lines, [
      { text: '{"a":"é"}', end: ends[0] },
      { text: '', end: ends[1] },
      { text: '{"b":"日本"}', end: ends[2] },
      { text: '{"c":1}', end: ends[3] },
    ]);
    assert.equal(Buffer.byteLength(text) + 100, ends[3]);
  });

  it('says events done, rate, share, ETA and counts at most once a second', () => {
    let now = 0;
    const printed: string[] = [];
    const counts = { accepted: 0, duplicate: 0, rejected: 0 };
    const progress = new PublishProgress(
      'big.ndjson',
      { offset: 0, counts },
      (l) => printed.push(l),
      () => now,
    );
    now = 500;
    progress.update({ line: 500, offset: 50_000, size: 1_000_000, counts: { ...counts, accepted: 500 } });
    assert.deepEqual(printed, [], 'not before a second has passed');
    now = 2000;
    progress.update({
      line: 2000,
      offset: 200_000,
      size: 1_000_000,
      counts: { accepted: 1990, duplicate: 4, rejected: 6 },
    });
    assert.deepEqual(printed, [
      'big.ndjson: 2,000 events done, line 2,000 (20.0 % of the bytes), 1,000 events/s, ETA 8s; ' +
        '1,990 accepted, 4 duplicate, 6 rejected',
    ]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
