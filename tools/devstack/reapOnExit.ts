import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let installed = false;

/**
 * Ends a child when this process ends without having stopped it: a crash, an uncaught error, or
 * a SIGINT or SIGTERM turned into process.exit. Without this a killed bench or chaos run leaves
 * Temporal, FerretDB and workers running on their ports. The 'exit' handler can only act
 * synchronously, so each child is sent SIGTERM and finishes its own shutdown.
 */
export function reapOnExit(child: ChildProcess): void {
  if (!installed) {
    installed = true;
    process.on('exit', () => {
      for (const orphan of live) orphan.kill('SIGTERM');
    });
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** SIGINT and SIGTERM end the process through process.exit, so the 'exit' handler above runs. */
export function exitOnInterrupt(): void {
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}
