import type { IncomingMessage } from 'node:http';

export type BodyFormat = 'json' | 'ndjson';

const FORMATS: Record<string, BodyFormat> = {
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
};

/** The body format a Content-Type names, or why it is refused (for a 415). */
export function bodyFormat(contentType: string | undefined): BodyFormat | { refused: string } {
  const expected = 'expected Content-Type application/json or application/x-ndjson';
  if (contentType === undefined) return { refused: `no Content-Type; ${expected}` };
  const [type = '', ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
  const format = FORMATS[type];
  if (format === undefined) return { refused: `Content-Type "${type}" is not accepted; ${expected}` };
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return { refused: `charset "${charset}" is not accepted; send UTF-8` };
  }
  return format;
}

/** True when the client announced (or may send, when chunked) a body longer than `maxBytes`. */
export function declaresLargeBody(req: IncomingMessage, maxBytes: number): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > maxBytes;
  return req.headers['transfer-encoding'] !== undefined;
}

export type BodyRead = { kind: 'read'; body: Buffer } | { kind: 'tooLarge' } | { kind: 'aborted' };

/**
 * Reads the request body, but never more than `maxBytes`: past the limit it stops reading (the
 * request is paused, what was read is dropped) so an oversized body is never held in memory.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        chunks.length = 0;
        finish({ kind: 'tooLarge' });
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = (): void => finish({ kind: 'read', body: Buffer.concat(chunks, size) });
    const onAbort = (): void => finish({ kind: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}
