import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/** What a file's publish had acknowledged when its checkpoint was written. */
export interface Checkpoint {
  /** The file as it was: a checkpoint is for that file only. */
  size: number;
  mtimeMs: number;
  /** The last line of the last acknowledged batch, and the byte offset just past it. */
  line: number;
  offset: number;
  counts: { accepted: number; duplicate: number; rejected: number };
}

/** Where the checkpoint of `file` is kept: beside it. */
export const checkpointPath = (file: string): string => `${file}.progress`;

/**
 * The checkpoint of a `journeys events publish` of a file, `<file>.progress`: written after every
 * batch the publisher acknowledged, removed once the whole file is. A rerun starts after its line;
 * the batch that was in flight at a crash is published again, and the inbox's unique eventId
 * answers its events that were already accepted as duplicates.
 */
export async function readCheckpoint(file: string): Promise<Checkpoint | undefined> {
  let text: string;
  try {
    text = await readFile(checkpointPath(file), 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
  const value = JSON.parse(text) as Partial<Checkpoint>;
  const { size, mtimeMs, line, offset, counts } = value;
  if (
    typeof size !== 'number' ||
    typeof mtimeMs !== 'number' ||
    typeof line !== 'number' ||
    typeof offset !== 'number' ||
    typeof counts?.accepted !== 'number' ||
    typeof counts.duplicate !== 'number' ||
    typeof counts.rejected !== 'number'
  ) {
    throw new Error(`${checkpointPath(file)} is not a checkpoint of journeys events publish`);
  }
  return { size, mtimeMs, line, offset, counts };
}

/** Written to a temporary file and renamed over the old one, so a crash never leaves half of it. */
async function writeCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  const path = checkpointPath(file);
  await writeFile(`${path}.tmp`, `${JSON.stringify(checkpoint)}\n`);
  await rename(`${path}.tmp`, path);
}

/** A file's checkpoint writes: a failure to write one is said once, and publishing goes on. */
export class Checkpoints {
  private failed = false;

  constructor(
    private readonly path: string,
    private readonly file: { size: number; mtimeMs: number },
    private readonly err: (line: string) => void,
  ) {}

  async write(at: Pick<Checkpoint, 'line' | 'offset' | 'counts'>): Promise<void> {
    if (this.failed) return;
    try {
      await writeCheckpoint(this.path, { ...this.file, ...at, counts: { ...at.counts } });
    } catch (error) {
      this.failed = true;
      this.err(
        `${this.path}: cannot write ${checkpointPath(this.path)}: ${error instanceof Error ? error.message : String(error)}; publishing goes on, ` +
          'but a rerun after a crash starts from the first line',
      );
    }
  }

  async done(): Promise<void> {
    await rm(checkpointPath(this.path), { force: true });
  }
}
