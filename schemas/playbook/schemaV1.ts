import type { EventMatcher, Playbook, Step } from './schema';

/*
 * The playbook form before schemaVersion 2, as a type: what playbook versions stored in MongoDB and
 * runs already in flight (their frozen definition, in the Temporal history) may still hold.
 * engine/interpreter/upgradePlaybook.ts turns it into the current form; nothing else reads it.
 *
 * schemaVersion 1 → 2 (every other field is the same in both):
 * - `holdoutPercent: 10` (a percent, 0–100) → `holdout: 0.1` (a share, 0–1, like every share in
 *   the policy: exploration, defaultCostRatio…);
 * - `entry.key`, `matchTriggerOn`: `data.cartId` → `event.data.cartId` (the path form conditions
 *   use, rooted at the event it reads);
 * - a send step's `onQuietHours: drop` → `skip` (`onCap` already said skip; one word for "not sent,
 *   the run goes on").
 */

type MatcherV1<T extends EventMatcher> = Omit<T, 'matchTriggerOn'> & {
  /** `data.cartId`: a path inside both events, without the `event.` root. */
  matchTriggerOn?: string;
};

type SendStep = Extract<Step, { type: 'send' }>;
type WaitForEventStep = Extract<Step, { type: 'waitForEvent' }>;

export type StepV1 =
  | Exclude<Step, SendStep | WaitForEventStep>
  | (Omit<SendStep, 'onQuietHours'> & { onQuietHours: 'defer' | 'drop' })
  | MatcherV1<WaitForEventStep>;

export type PlaybookV1 = Omit<
  Playbook,
  'schemaVersion' | 'holdout' | 'entry' | 'exit' | 'success' | 'steps'
> & {
  schemaVersion: 1;
  /** The share of entering customers held back, as a percent from 0 to 100. */
  holdoutPercent: number;
  entry: Omit<Playbook['entry'], 'key'> & { key?: string };
  exit?: { goals: MatcherV1<EventMatcher>[] };
  success: Omit<Playbook['success'], 'metric'> & { metric: MatcherV1<EventMatcher> };
  steps: StepV1[];
};

/** A definition as stored or frozen in a run: either form. */
export type AnyPlaybookForm = Playbook | PlaybookV1;

/** The renames of schemaVersion 2, for the reference page (docs/playbook-reference.md#compatibility). */
export const SCHEMA_VERSION_1_RENAMES: readonly { old: string; current: string; why: string }[] = [
  {
    old: '`holdoutPercent: 10` (a percent, 0–100)',
    current: '`holdout: 0.1` (a share, 0–1)',
    why: 'every other share (the policy’s `exploration`, `defaultCostRatio`…) is written 0–1',
  },
  {
    old: '`entry.key: data.cartId`, `matchTriggerOn: data.cartId`',
    current: '`entry.key: event.data.cartId`, `matchTriggerOn: event.data.cartId`',
    why: 'one path form: conditions already write `event.data.…`',
  },
  {
    old: '`onQuietHours: drop`',
    current: '`onQuietHours: skip`',
    why: '`onCap` already said `skip` for "not sent, the run goes on"',
  },
];
