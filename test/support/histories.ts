import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';

/** Recorded histories of every journey shape, replayed in CI against the current workflow code. */
export const HISTORY_DIR = join(__dirname, '..', 'histories');

/**
 * With RECORD_HISTORIES=1, saves a finished run's history as test/histories/<name>.json. Record
 * only from code that is already released: the point is to replay what production has run.
 */
export async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  mkdirSync(HISTORY_DIR, { recursive: true });
  writeFileSync(join(HISTORY_DIR, `${name}.json`), historyToJSON(await handle.fetchHistory()));
}

export function loadHistories(): { name: string; history: temporal.api.history.v1.IHistory }[] {
  return readdirSync(HISTORY_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''))
    .sort()
    .map((name) => ({
      name,
      history: historyFromJSON(JSON.parse(readFileSync(join(HISTORY_DIR, `${name}.json`), 'utf8'))),
    }));
}
