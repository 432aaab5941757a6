import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CartPlaybookSnapshot } from '../engine/cartJourney';
import { DURATION_PATTERN, parseDuration } from '../engine/duration';
import { toInputIssues, type InputIssue } from '../validation/issues';

/*
 * The cart-abandonment playbook's settings. CRM teams edit the JSON file; this schema checks it at
 * load time (never inside a workflow). Compatibility: new fields must be optional with a default;
 * a run in flight keeps the snapshot it started with, so edits only affect new entries.
 */
export const CartAbandonmentPlaybook = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lowercase letters, digits and dashes'),
  name: z.string().min(1),
  version: z.number().int().positive(),
  wait: z.string().regex(DURATION_PATTERN, 'expected a duration such as 30m, 1h or 2d'),
  holdoutPercent: z.number().min(0).max(100),
  fallbackChannel: z.enum(['sms']).nullable(),
});
export type CartAbandonmentPlaybook = z.infer<typeof CartAbandonmentPlaybook>;

export const CART_ABANDONMENT_FILE = join(__dirname, 'cart-abandonment.json');

export class PlaybookError extends Error {
  override readonly name = 'PlaybookError';
  constructor(
    readonly file: string,
    readonly issues: InputIssue[],
  ) {
    super(issues.map((i) => `${file}: ${i.path}: ${i.message}`).join('\n'));
  }
}

export function loadCartAbandonmentPlaybook(file = CART_ABANDONMENT_FILE): CartAbandonmentPlaybook {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PlaybookError(file, [{ path: '(file)', message: (error as Error).message }]);
  }
  const result = CartAbandonmentPlaybook.safeParse(raw);
  if (!result.success) throw new PlaybookError(file, toInputIssues(result.error));
  return result.data;
}

/** The frozen settings a new run starts with. `wait` overrides the file, e.g. for the demo. */
export function cartPlaybookSnapshot(
  playbook: CartAbandonmentPlaybook,
  holdoutSalt: string,
  wait: string = playbook.wait,
): CartPlaybookSnapshot {
  const waitMs = parseDuration(wait);
  if (waitMs === undefined) throw new Error(`invalid wait duration "${wait}"`);
  return {
    id: playbook.id,
    version: playbook.version,
    waitMs,
    holdoutPercent: playbook.holdoutPercent,
    holdoutSalt,
    fallbackChannel: playbook.fallbackChannel,
  };
}
