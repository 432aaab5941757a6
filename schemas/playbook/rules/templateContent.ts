import { TemplateSyntaxError, parseTemplate, templateReferences } from '../../../engine/template';
import type { InputIssue } from '../../issues';
import type { Playbook, Template } from '../schema';
import { variableProblem, type VariableScope } from '../variables';

/** Every template field parses, and every variable it reads can hold a value for this trigger. */

const FIELDS: (keyof Template)[] = ['subject', 'text', 'html', 'sms'];

function fieldIssues(source: string, path: string, scope: VariableScope): InputIssue[] {
  let ast;
  try {
    ast = parseTemplate(source);
  } catch (error) {
    if (error instanceof TemplateSyntaxError)
      return [{ path, message: `in the template at ${error.message}` }];
    throw error;
  }
  const issues: InputIssue[] = [];
  const seen = new Set<string>();
  for (const reference of templateReferences(ast)) {
    const problem = variableProblem(reference.path, scope, reference.usage === 'each');
    const key = `${reference.tag}\n${reference.path}`;
    if (problem === undefined || seen.has(key)) continue;
    seen.add(key);
    const verb = reference.usage === 'each' ? 'loops over' : 'reads';
    issues.push({ path, message: `"${reference.tag}" ${verb} ${reference.path}${problem}` });
  }
  return issues;
}

export function templateContentIssues(playbook: Playbook): InputIssue[] {
  const scope: VariableScope = {
    triggerType: playbook.trigger.event,
    hasDecideOffer: playbook.steps.some((step) => step.type === 'decideOffer'),
    inTemplate: true,
  };
  return Object.entries(playbook.templates).flatMap(([name, template]) =>
    FIELDS.flatMap((field) => {
      const source = template[field];
      return source === undefined ? [] : fieldIssues(source, `templates.${name}.${field}`, scope);
    }),
  );
}
