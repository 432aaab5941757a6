import type { ReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { BodyEntry } from '../router/http/eventsBody';
import { mergeResults, publishableValues } from '../router/http/ingestResults';
import type { IngestResult } from '../router/http/ingestResults';
import { parseNdjsonLine } from '../router/http/ndjson';
import type { EventPublisher } from '../schemas/events/publisher';

export interface EventsCommandDeps {
  publisher: EventPublisher;
  stdin: NodeJS.ReadableStream;
  /** Results: the summary line. */
  out: (line: string) => void;
  /** Problems: one line per bad input line or issue. */
  err: (line: string) => void;
}

const USAGE = 'usage: journeys events publish <file.ndjson|->   (- reads standard input)';
/** Lines per publishEvents call: large enough to amortise the round trips, small enough to stream. */
const BATCH_LINES = 500;

/**
 * `journeys events publish <file|->`: publishes an ndjson file of events, one per line. A bad line is
 * reported with its line number and skipped; the good lines around it are still published. Exit
 * code: 0 when nothing was rejected, 1 when something was (or publishing failed), 2 for usage errors.
 */
export async function runEventsCommand(args: string[], deps: EventsCommandDeps): Promise<number> {
  const [subcommand, file, ...extra] = args;
  if (subcommand === 'help' || subcommand === '--help' || subcommand === '-h') {
    deps.out(USAGE);
    return 0;
  }
  const usageError = (message: string): number => {
    deps.err(`journeys events: ${message}`);
    deps.err(USAGE);
    return 2;
  };
  if (subcommand === undefined) return usageError('missing subcommand');
  if (subcommand !== 'publish') return usageError(`unknown subcommand "${subcommand}"`);
  if (file === undefined) return usageError('publish: missing file argument (use - for standard input)');
  if (extra[0] !== undefined) return usageError(`publish: unexpected argument "${extra[0]}"`);

  if (file === '-') return publishLines('<stdin>', deps.stdin, deps);
  const opened = await openFile(file);
  if ('problem' in opened) {
    deps.err(`journeys events publish: cannot read "${file}": ${opened.problem}`);
    return 2;
  }
  try {
    return await publishLines(file, opened, deps);
  } finally {
    opened.destroy(); // closes the file when publishing stopped before its end
  }
}

async function openFile(path: string): Promise<ReadStream | { problem: string }> {
  try {
    const handle = await open(path, 'r');
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      return { problem: 'it is a directory' };
    }
    return handle.createReadStream({ encoding: 'utf8' });
  } catch (error) {
    return { problem: describe(error) };
  }
}

interface Counts {
  accepted: number;
  duplicate: number;
  rejected: number;
}

async function publishLines(
  name: string,
  stream: NodeJS.ReadableStream,
  deps: EventsCommandDeps,
): Promise<number> {
  const counts: Counts = { accepted: 0, duplicate: 0, rejected: 0 };
  const summary = (): string =>
    `${counts.accepted} accepted, ${counts.duplicate} duplicate, ${counts.rejected} rejected`;
  let batch: (BodyEntry & { line: number })[] = [];
  let lineNumber = 0;

  // False when the publisher failed: what came before was published, the rest was not tried.
  const flush = async (): Promise<boolean> => {
    if (batch.length === 0) return true;
    const entries = batch;
    batch = [];
    let results: IngestResult[];
    try {
      const values = publishableValues(entries);
      results = mergeResults(entries, values.length === 0 ? [] : await deps.publisher.publishEvents(values));
    } catch (error) {
      const first = entries[0]?.line ?? lineNumber;
      deps.err(`${name}: publishing lines ${first}-${lineNumber} failed: ${describe(error)}`);
      deps.err(
        `${name}: the lines before ${first} were handled; re-run the command to retry: ` +
          'events already published come back as duplicates',
      );
      return false;
    }
    entries.forEach((entry, i) => report(name, entry, results[i], counts, deps.err));
    return true;
  };

  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const raw of lines) {
      lineNumber += 1;
      // A byte-order mark, as some editors write, would otherwise make the first line invalid JSON.
      const parsed = parseNdjsonLine(lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw);
      if (parsed.kind === 'value') batch.push({ line: lineNumber, value: parsed.value });
      else if (parsed.kind === 'invalid') batch.push({ line: lineNumber, invalidJson: parsed.reason });
      if (batch.length >= BATCH_LINES && !(await flush())) {
        deps.out(summary());
        return 1;
      }
    }
  } catch (error) {
    // Lines already read were published; say how far the file got.
    deps.err(`${name}: reading failed after line ${lineNumber}: ${describe(error)}`);
    if (!(await flush())) return 1;
    deps.out(summary());
    return 2;
  } finally {
    lines.close();
  }
  const published = await flush();
  deps.out(summary());
  return published && counts.rejected === 0 ? 0 : 1;
}

function report(
  name: string,
  entry: BodyEntry & { line: number },
  result: IngestResult | undefined,
  counts: Counts,
  err: (line: string) => void,
): void {
  if (result === undefined) return;
  counts[result.status] += 1;
  const at = `${name}:${entry.line}`;
  if ('invalidJson' in entry) err(`${at}: invalid JSON: ${entry.invalidJson}`);
  else if (result.status === 'rejected')
    for (const issue of result.issues) err(`${at}: ${issue.path}: ${issue.message}`);
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
};

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return (code === undefined ? undefined : FILE_ERRORS[code]) ?? error.message;
}
