/** One line of a file and where it ends: the byte offset just past its newline. */
export interface OffsetLine {
  text: string;
  end: number;
}

const NEWLINE = 0x0a;

/**
 * The lines of a byte stream, each with the byte offset where the next one starts, so a reader that
 * stopped can open the file again at exactly the next line (`createReadStream({ start })`). Splitting
 * on the newline byte is safe in UTF-8, where 0x0A never occurs inside a character. A `\r` before
 * the newline is dropped, as readline does with `crlfDelay: Infinity`. Chunks are handled as they
 * come: only the part of a line not yet ended is held.
 */
export async function* ndjsonLines(
  source: AsyncIterable<Buffer | string>,
  startOffset = 0,
): AsyncGenerator<OffsetLine> {
  let pending: Buffer = Buffer.alloc(0);
  let offset = startOffset; // of pending's first byte
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const data = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
    let from = 0;
    for (let newline = data.indexOf(NEWLINE); newline >= 0; newline = data.indexOf(NEWLINE, from)) {
      yield { text: decode(data.subarray(from, newline)), end: offset + newline + 1 };
      from = newline + 1;
    }
    offset += from;
    pending = data.subarray(from);
  }
  if (pending.length > 0) yield { text: decode(pending), end: offset + pending.length };
}

function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
