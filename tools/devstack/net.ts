import { createConnection, createServer } from 'node:net';

/** A port the OS considers free right now (another process could still take it before we bind). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port assigned')),
      );
    });
  });
}

export function isPortOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolveOpen(true);
    });
    socket.once('error', () => resolveOpen(false));
  });
}

/** The preferred port when it is free, else any free port, so a second stack never collides. */
export async function portOrFree(preferred: number | undefined): Promise<number> {
  if (preferred !== undefined && !(await isPortOpen(preferred))) return preferred;
  return freePort();
}
