/** How often, at most, a progress line is printed. */
export const PROGRESS_INTERVAL_MS = 1000;

export interface ProgressState {
  line: number;
  /** Bytes read of the file, and its size (undefined for standard input: no share, no ETA). */
  offset: number;
  size?: number;
  counts: { accepted: number; duplicate: number; rejected: number };
}

/**
 * The progress of a long publish, for standard error: how far, how fast and how long still, at most
 * once a second. Rates count this run only (a resumed run starts its clock again); the ETA is the
 * bytes left at this run's byte rate, since the file's line count is unknown until it is read.
 */
export class PublishProgress {
  private readonly started: number;
  private readonly startEvents: number;
  private readonly startOffset: number;
  private lastShown: number;

  constructor(
    private readonly name: string,
    start: Pick<ProgressState, 'offset' | 'counts'>,
    private readonly print: (line: string) => void,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.started = this.lastShown = clock();
    this.startEvents = total(start.counts);
    this.startOffset = start.offset;
  }

  /** Prints a line when the last one is at least PROGRESS_INTERVAL_MS old. */
  update(state: ProgressState): void {
    const now = this.clock();
    if (now - this.lastShown < PROGRESS_INTERVAL_MS) return;
    this.lastShown = now;
    this.print(this.describe(state, now));
  }

  describe({ line, offset, size, counts }: ProgressState, now = this.clock()): string {
    const seconds = Math.max(now - this.started, 1) / 1000;
    const rate = (total(counts) - this.startEvents) / seconds;
    const byteRate = (offset - this.startOffset) / seconds;
    const where =
      size === undefined || size === 0
        ? `line ${count(line)}`
        : `line ${count(line)} (${((100 * offset) / size).toFixed(1)} % of the bytes)`;
    const eta =
      size === undefined ? '' : `, ETA ${byteRate > 0 ? duration((size - offset) / byteRate) : 'unknown'}`;
    return (
      `${this.name}: ${count(total(counts))} events done, ${where}, ${count(Math.round(rate))} events/s${eta}; ` +
      `${count(counts.accepted)} accepted, ${count(counts.duplicate)} duplicate, ${count(counts.rejected)} rejected`
    );
  }
}

const total = (counts: ProgressState['counts']): number =>
  counts.accepted + counts.duplicate + counts.rejected;
const count = (n: number): string => n.toLocaleString('en-US');

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
