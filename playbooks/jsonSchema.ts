import { z } from 'zod';
import {
  BranchStep,
  Condition,
  DecideOfferStep,
  EventMatcher,
  ExitStep,
  FanOut,
  Playbook,
  SendStep,
  Template,
  UpdateStep,
  WaitForEventStep,
  WaitStep,
  WaitUntilStep,
} from './schema';

/*
 * The JSON Schema editors use to check playbook files as they are typed (VS Code, JetBrains, the
 * YAML language server). Generated from the zod schema, so it cannot drift from what the validator
 * accepts; the cross-field rules (step references, template variables…) only the validator checks.
 */

/**
 * Hover texts and definition names, kept here so the contract in schema.ts stays free of editor
 * concerns. (A registry of its own replaces zod's global one for this generation: schema.ts
 * registers nothing there.)
 */
const DESCRIPTIONS: [z.core.$ZodType, string][] = [
  [WaitStep, 'Wait a fixed time, e.g. duration: 1h.'],
  [WaitUntilStep, "Wait until the customer's local opening window: days, from and to (24-hour times)."],
  [WaitForEventStep, 'Wait for an event up to a timeout; go to onEvent if it comes, onTimeout if not.'],
  [BranchStep, 'Go to the next of the first case whose condition holds, otherwise to otherwise.'],
  [DecideOfferStep, 'Choose the best eligible offer; templates then read it as offer.title, offer.code…'],
  [SendStep, 'Send a template by email or sms, with an optional fallback channel.'],
  [UpdateStep, "Change the customer's profile attributes and tags."],
  [ExitStep, 'End the run.'],
  [Template, 'Message content: subject and text (email), html (optional), sms. {{…}} inserts values.'],
  [EventMatcher, 'An event type, an optional where condition, and matchTriggerOn to tie it to the trigger.'],
  [
    FanOut,
    'For catalog events: whom the event reaches. to: wishlisted, viewed (within lookback, default 90d) ' +
      'and tier (tiers, or the earlyAccessTiers of a launch).',
  ],
  [
    Condition,
    'A condition: { field, op, value }, { all: [...] }, { any: [...] } or { not: ... }. ' +
      'Fields start with event., trigger., profile. or offer.',
  ],
];

const metadata = z.registry<{ id?: string; description?: string }>();
for (const [schema, description] of DESCRIPTIONS) metadata.add(schema, { description });
metadata.add(Condition, { id: 'Condition', description: metadata.get(Condition)?.description });

export function playbookJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Playbook, {
    io: 'input',
    // Draft 7 is what editors and the YAML language server support best.
    target: 'draft-07',
    metadata,
  });
  return {
    $schema: schema.$schema,
    title: 'Journey playbook',
    description: 'A journey playbook. Validate with: npm run journeys -- playbooks validate',
    ...schema,
  };
}
