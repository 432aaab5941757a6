/** What the worker prints every WORKER_STATUS_INTERVAL_MS: `worker: status {json}`. */
export interface WorkerStatus {
  cachedWorkflows: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
}

const PREFIX = 'worker: status ';

function parseLine(line: string): WorkerStatus | undefined {
  const at = line.indexOf(PREFIX);
  if (at < 0) return undefined;
  try {
    const parsed = JSON.parse(line.slice(at + PREFIX.length)) as Partial<WorkerStatus>;
    if (typeof parsed.cachedWorkflows !== 'number' || typeof parsed.rssBytes !== 'number') return undefined;
    return {
      cachedWorkflows: parsed.cachedWorkflows,
      rssBytes: parsed.rssBytes,
      heapUsedBytes: parsed.heapUsedBytes ?? Number.NaN,
      heapTotalBytes: parsed.heapTotalBytes ?? Number.NaN,
    };
  } catch {
    return undefined;
  }
}

/** Every status line in a worker's output, oldest first. */
export function workerStatuses(output: string): WorkerStatus[] {
  return output.split('\n').flatMap((line) => parseLine(line) ?? []);
}

export function latestWorkerStatus(output: string): WorkerStatus | undefined {
  const lines = output.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const status = parseLine(lines[i]!);
    if (status) return status;
  }
  return undefined;
}
