import { z } from 'zod';
import { Playbook, Step } from './schema';

/*
 * The JSON Schema editors use to check playbook files as they are typed (VS Code, JetBrains, the
 * YAML language server). Generated from the zod schema, descriptions and examples included (they
 * live on the fields in schema.ts), so it cannot drift from what the validator accepts; the
 * cross-field rules (step references, template variables…) only the validator checks.
 */

const STEP_TYPES = Step.options.map((option) => option.shape.type.value);

/**
 * zod writes the steps' discriminated union as a oneOf, and a validator that meets an unknown type
 * there reports every branch's failure (nine "must be equal to constant", nine sets of missing
 * fields). Checked instead as: `type` is one of the step types (one message naming them all), and
 * each type's own fields apply only when `type` names it. `errorMessage` is read by
 * yaml-language-server and ajv-errors; it cannot quote the value, which the editor underlines anyway.
 */
function stepsByType(ctx: { jsonSchema: z.core.JSONSchema.BaseSchema }): void {
  const refs = ctx.jsonSchema.oneOf ?? [];
  delete ctx.jsonSchema.oneOf;
  Object.assign(ctx.jsonSchema, {
    type: 'object',
    description: 'A step of the run; its type says what it does and which fields it has.',
    required: ['type'],
    properties: {
      type: {
        type: 'string',
        enum: STEP_TYPES,
        description: `What the step does: ${STEP_TYPES.join(', ')}.`,
        errorMessage: `unknown step type: expected one of ${STEP_TYPES.join(', ')}`,
      },
    },
    allOf: STEP_TYPES.map((type, i) => ({
      if: { properties: { type: { const: type } }, required: ['type'] },
      then: refs[i],
    })),
  });
}

export function playbookJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Playbook, {
    io: 'input',
    // Draft 7 is what editors and the YAML language server support best.
    target: 'draft-07',
    override: (ctx) => {
      if (ctx.zodSchema === Step) stepsByType(ctx);
    },
  });
  return {
    $schema: schema.$schema,
    title: 'Journey playbook',
    description: 'A journey playbook. Validate with: npm run journeys -- playbooks validate',
    ...schema,
  };
}
