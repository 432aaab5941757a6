import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How long a connection whose body we refused stays open so the response can reach the client. */
const CLOSE_GRACE_MS = 1000;

/** Sends `body` as JSON; `closeConnection` adds `Connection: close` (see ConnectionCloser). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  closeConnection = false,
): void {
  const type = { 'Content-Type': 'application/json; charset=utf-8' };
  sendText(res, status, JSON.stringify(body), { ...type, ...headers }, closeConnection);
}

/** Sends a text body whose Content-Type is among `headers`; never cached. */
export function sendText(
  res: ServerResponse,
  status: number,
  payload: string,
  headers: Record<string, string>,
  closeConnection = false,
): void {
  res.writeHead(status, {
    'Content-Length': String(Buffer.byteLength(payload)),
    'Cache-Control': 'no-store',
    ...(closeConnection ? { Connection: 'close' } : {}),
    ...headers,
  });
  res.end(payload);
}

/**
 * Ends the connections of requests whose body was not (fully) read, instead of reading the rest. They
 * are cut after a grace period, not at once: closing a socket with unread data makes TCP reset the
 * connection, which can discard the response before the client reads it.
 */
export class ConnectionCloser {
  private readonly waiting = new Set<Socket>();

  closeAfterResponse(req: IncomingMessage, res: ServerResponse): void {
    req.pause();
    const socket = req.socket;
    res.once('finish', () => {
      this.waiting.add(socket);
      const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
      timer.unref();
      socket.once('close', () => {
        clearTimeout(timer);
        this.waiting.delete(socket);
      });
    });
  }

  /** On shutdown there is no point waiting out the grace periods. */
  closeAll(): void {
    for (const socket of this.waiting) socket.destroy();
  }
}
