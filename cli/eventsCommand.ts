import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { BodyEntry } from '../router/http/eventsBody';
import { mergeResults, publishableValues } from '../router/http/ingestResults';
import type { IngestResult } from '../router/http/ingestResults';
import { parseNdjsonLine } from '../router/http/ndjson';
import type { EventPublisher } from '../schemas/events/publisher';
import { ndjsonLines } from './ndjsonLines';
import { checkpointPath, Checkpoints, readCheckpoint, type Checkpoint } from './publishCheckpoint';
import { PublishProgress } from './publishProgress';

export interface EventsCommandDeps {
  publisher: EventPublisher;
  stdin: NodeJS.ReadableStream;
  /** Results: the summary line. */
  out: (line: string) => void;
  /** Problems: one line per bad input line or issue. */
  err: (line: string) => void;
  /** Progress lines (events done, rate, ETA), at most one a second; omitted, none is printed. */
  progress?: (line: string) => void;
}

const USAGE =
  'usage: journeys events publish <file.ndjson|-> [--restart]   (- reads standard input; a file is ' +
  'resumed from <file>.progress after a crash unless --restart)';
/** Lines per publishEvents call: large enough to amortise the round trips, small enough to stream. */
const BATCH_LINES = 500;

/**
 * `journeys events publish <file|-> [--restart]`: publishes an ndjson file of events, one per line,
 * streamed in batches of BATCH_LINES (one bulk publish each). A bad line is reported with its line
 * number and skipped; the good lines around it are still published. A file's progress is kept in
 * `<file>.progress` after every acknowledged batch, so a rerun after a crash resumes after it
 * (cli/publishCheckpoint.ts); `--restart` ignores it. Exit code: 0 when nothing was rejected, 1 when
 * something was (or publishing failed), 2 for usage errors.
 */
export async function runEventsCommand(args: string[], deps: EventsCommandDeps): Promise<number> {
  const restart = args.includes('--restart');
  const [subcommand, file, ...extra] = args.filter((arg) => arg !== '--restart');
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

  if (file === '-') {
    if (restart) return usageError('publish: --restart applies to a file, not standard input');
    return publishLines('<stdin>', deps.stdin, deps, { start: EMPTY_START });
  }
  const opened = await openFile(file, restart, deps);
  if ('exitCode' in opened) return opened.exitCode;
  const stream = createReadStream(file, { start: opened.start.offset });
  try {
    return await publishLines(file, stream, deps, opened);
  } finally {
    stream.destroy(); // closes the file when publishing stopped before its end
  }
}

const EMPTY_START: Pick<Checkpoint, 'line' | 'offset' | 'counts'> = {
  line: 0,
  offset: 0,
  counts: { accepted: 0, duplicate: 0, rejected: 0 },
};

interface Source {
  start: Pick<Checkpoint, 'line' | 'offset' | 'counts'>;
  /** A file's identity and size; absent for standard input, which keeps no checkpoint. */
  file?: { size: number; mtimeMs: number };
}

/** The file's size and where to start in it: its checkpoint's line, or its start. */
async function openFile(
  path: string,
  restart: boolean,
  deps: EventsCommandDeps,
): Promise<Source | { exitCode: number }> {
  const problem = (message: string) => {
    deps.err(`journeys events publish: ${message}`);
    return { exitCode: 2 };
  };
  let file: { size: number; mtimeMs: number };
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) return problem(`cannot read "${path}": it is a directory`);
    file = { size: stats.size, mtimeMs: stats.mtimeMs };
  } catch (error) {
    return problem(`cannot read "${path}": ${describe(error)}`);
  }
  if (restart) return { start: EMPTY_START, file };
  let checkpoint: Checkpoint | undefined;
  try {
    checkpoint = await readCheckpoint(path);
  } catch (error) {
    return problem(`${describe(error)}; pass --restart to publish "${path}" from its start`);
  }
  if (checkpoint === undefined) return { start: EMPTY_START, file };
  if (checkpoint.size !== file.size || checkpoint.mtimeMs !== file.mtimeMs) {
    return problem(
      `"${path}" changed since ${checkpointPath(path)} was written (size or modification time); ` +
        'pass --restart to publish it from its start (events already published come back as duplicates)',
    );
  }
  deps.err(
    `${path}: resuming after line ${checkpoint.line} (${checkpointPath(path)}); the counts include the earlier ` +
      'run; --restart publishes the file from its start',
  );
  return { start: checkpoint, file };
}

interface Counts {
  accepted: number;
  duplicate: number;
  rejected: number;
}

async function publishLines(
  name: string,
  stream: AsyncIterable<Buffer | string>,
  deps: EventsCommandDeps,
  source: Source,
): Promise<number> {
  const counts: Counts = { ...source.start.counts };
  const summary = (): string =>
    `${counts.accepted} accepted, ${counts.duplicate} duplicate, ${counts.rejected} rejected`;
  let batch: (BodyEntry & { line: number })[] = [];
  let lineNumber = source.start.line;
  let offset = source.start.offset;
  const progress = deps.progress && new PublishProgress(name, { offset, counts }, deps.progress);
  const checkpoints = source.file === undefined ? undefined : new Checkpoints(name, source.file, deps.err);

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
    await checkpoints?.write({ line: lineNumber, offset, counts });
    progress?.update({ line: lineNumber, offset, ...(source.file && { size: source.file.size }), counts });
    return true;
  };

  try {
    for await (const raw of ndjsonLines(stream, offset)) {
      lineNumber += 1;
      offset = raw.end;
      // A byte-order mark, as some editors write, would otherwise make the first line invalid JSON.
      const parsed = parseNdjsonLine(lineNumber === 1 ? raw.text.replace(/^\uFEFF/, '') : raw.text);
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
  }
  const published = await flush();
  if (published) await checkpoints?.done();
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
