import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PlaybookInput } from '../../schemas/playbook/schema';

/** A small valid cart playbook; tests change one thing in a copy and expect one issue. */
export function cartPlaybook(): PlaybookInput {
  return {
    id: 'test-cart',
    name: 'Test cart',
    version: 1,
    trigger: { event: 'cart.updated', where: { field: 'event.data.items', op: 'notEmpty' } },
    exit: { goals: [{ event: 'order.placed', matchTriggerOn: 'event.data.cartId' }] },
    maxDuration: '7d',
    holdout: 0.1,
    success: { metric: { event: 'order.placed' }, window: '7d' },
    templates: {
      reminder: {
        subject: '{{#if profile.firstName}}{{profile.firstName}}, your{{else}}Your{{/if}} cart',
        text: [
          'Your cart:',
          '{{#each trigger.data.items}}',
          '- {{this.quantity}} × {{this.name}}: {{this.price | money:trigger.data.currency}}',
          '{{/each}}',
          '{{trigger.data.cartUrl}} {{profile.attributes.size}}',
        ].join('\n'),
        sms: 'Your cart is waiting: {{trigger.data.cartUrl}}',
      },
    },
    steps: [
      { id: 'wait', type: 'wait', duration: '1h' },
      { id: 'reminder', type: 'send', channel: 'email', fallback: 'sms', template: 'reminder' },
    ],
  };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'journeys-playbooks-'));
}

/** Writes a playbook as YAML or JSON (by the name's extension) and returns the path. */
export function writePlaybook(dir: string, name: string, playbook: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, name.endsWith('.json') ? JSON.stringify(playbook, null, 2) : stringify(playbook));
  return file;
}

/** A playbook with three different kinds of mistake: an unknown field, a missing step, a bad variable. */
export function threeMistakes(): unknown {
  const playbook = cartPlaybook();
  return {
    ...playbook,
    colour: 'blue',
    steps: [playbook.steps[0], { ...playbook.steps[1], next: 'thank-you' }],
    templates: { reminder: { ...playbook.templates?.reminder, sms: 'Back to {{trigger.data.cartUrll}}' } },
  };
}
