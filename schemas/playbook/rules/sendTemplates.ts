import type { InputIssue } from '../../issues';
import type { Playbook, Template } from '../schema';
import { closest } from '../suggest';

/** Each send step names a template that has what its channels need: email a subject and text, sms an sms. */

const NEEDS: Record<'email' | 'sms', (keyof Template)[]> = { email: ['subject', 'text'], sms: ['sms'] };

export function sendTemplateIssues(playbook: Playbook): InputIssue[] {
  const issues: InputIssue[] = [];
  const names = Object.keys(playbook.templates);
  const reported = new Set<string>();
  playbook.steps.forEach((step, index) => {
    if (step.type !== 'send') return;
    const template = playbook.templates[step.template];
    if (!template) {
      const suggestion = closest(step.template, names);
      const known =
        names.length === 0
          ? 'templates is empty'
          : suggestion
            ? `did you mean "${suggestion}"?`
            : `templates: ${names.join(', ')}`;
      issues.push({
        path: `steps[${index}].template`,
        message: `template "${step.template}" is not defined in templates (${known})`,
      });
      return;
    }
    const uses = [
      { channel: step.channel, how: 'sends this template' },
      ...(step.fallback && step.fallback !== step.channel
        ? [{ channel: step.fallback, how: 'may send this template (its fallback)' }]
        : []),
    ];
    for (const { channel, how } of uses) {
      for (const field of NEEDS[channel]) {
        const key = `${step.template}.${field}`;
        if (template[field] !== undefined || reported.has(key)) continue;
        reported.add(key);
        issues.push({
          path: `templates.${step.template}.${field}`,
          message: `missing: step "${step.id}" (steps[${index}]) ${how} by ${channel}, so it needs ${field}`,
        });
      }
    }
  });
  return issues;
}
