import type { Playbook } from '../../schemas/playbook/schema';
import type { AnyPlaybookForm } from '../../schemas/playbook/schemaV1';

/*
 * schemaVersion 1 → 2 (the renames are listed in schemas/playbook/schemaV1.ts). One function for
 * every place a definition comes in: files and CLI input before zod parses them
 * (schemas/playbook/validate.ts), versions read back from MongoDB (store/playbookVersions.ts), and
 * the definition a run froze at entry, read by the workflow on every start and replay. It is pure
 * and total: the workflow may call it on any history, and a run behaves on the upgraded
 * definition exactly as it did on the old one (same steps, same words for the same meaning), so no
 * command changes and no `patched()` is needed.
 *
 * On unvalidated input it renames only what it can read unambiguously: a value it cannot convert
 * stays under its old name, where the validator names it (schemas/playbook/formHints.ts).
 */

export const CURRENT_SCHEMA_VERSION = 2;

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `data.cartId` (a path inside the event) → `event.data.cartId`, as every condition writes it. */
function rootedAtEvent<T>(holder: T, field: string): T {
  if (!isFields(holder)) return holder;
  const path = holder[field];
  return typeof path === 'string' && path.startsWith('data.')
    ? { ...holder, [field]: `event.${path}` }
    : holder;
}

function upgradeStep(step: unknown): unknown {
  if (!isFields(step)) return step;
  if (step.type === 'waitForEvent') return rootedAtEvent(step, 'matchTriggerOn');
  if (step.type === 'send' && step.onQuietHours === 'drop') return { ...step, onQuietHours: 'skip' };
  return step;
}

function isPercent(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 100;
}

/**
 * Any input in the current form. A document that says `schemaVersion: 2` (or anything but 1) is
 * returned as it is; without it, or with 1, the old names are renamed (new names already there
 * stay), and it says `schemaVersion: 2`.
 */
export function upgradePlaybookInput(input: unknown): unknown {
  if (!isFields(input) || (input.schemaVersion !== undefined && input.schemaVersion !== 1)) return input;
  const out: Fields = { ...input, schemaVersion: CURRENT_SCHEMA_VERSION };
  const { holdoutPercent } = out;
  if (!('holdout' in out) && isPercent(holdoutPercent)) {
    delete out.holdoutPercent;
    // 10 / 100 is the same double as the literal 0.1: division is correctly rounded.
    out.holdout = holdoutPercent / 100;
  }
  if ('entry' in out) out.entry = rootedAtEvent(out.entry, 'key');
  const goals: unknown = isFields(out.exit) ? out.exit.goals : undefined;
  if (isFields(out.exit) && Array.isArray(goals)) {
    out.exit = { ...out.exit, goals: goals.map((goal: unknown) => rootedAtEvent(goal, 'matchTriggerOn')) };
  }
  if (isFields(out.success) && 'metric' in out.success) {
    out.success = { ...out.success, metric: rootedAtEvent(out.success.metric, 'matchTriggerOn') };
  }
  if (Array.isArray(out.steps)) out.steps = out.steps.map(upgradeStep);
  return out;
}

/** A validated definition of either form (stored, or frozen in a run) in the current form. */
export function upgradePlaybook(definition: AnyPlaybookForm): Playbook {
  // Validated in its own form when it was published, and the renames map it onto this one.
  return upgradePlaybookInput(definition) as Playbook;
}
