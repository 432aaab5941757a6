import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  InvalidPlaybooksError,
  listPlaybookFiles,
  loadPlaybooks,
  validatePlaybookFiles,
} from '../schemas/playbook/load';
import type { PlaybookInput } from '../schemas/playbook/schema';
import { validatePlaybook } from '../schemas/playbook/validate';
import { formatIssue, type InputIssue } from '../schemas/issues';
import { cartPlaybook, tempDir, threeMistakes, writePlaybook } from './support/playbooks';

/** The issues of the cart playbook after `change`; the change may break the input's type on purpose. */
function issuesAfter(change: (playbook: PlaybookInput & Record<string, unknown>) => void): InputIssue[] {
  const playbook = cartPlaybook() as PlaybookInput & Record<string, unknown>;
  change(playbook);
  return validatePlaybook(playbook).issues;
}

function assertOneIssue(issues: InputIssue[], path: string, message: RegExp): void {
  assert.equal(issues.length, 1, issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  assert.equal(issues[0]?.path, path);
  assert.match(issues[0]?.message ?? '', message);
}

describe('shipped playbooks', () => {
  it('all validate', () => {
    const results = validatePlaybookFiles(['playbooks']);
    assert.ok(results.length > 0, 'playbooks/ holds at least one playbook file');
    for (const result of results) {
      assert.deepEqual(
        result.issues.map((issue) => formatIssue(result.file, issue)),
        [],
      );
    }
    assert.equal(loadPlaybooks('playbooks').length, results.length);
  });
});

describe('loading playbook files', () => {
  it('loads YAML and JSON to the same playbook, with defaults applied', () => {
    const dir = tempDir();
    const yaml = writePlaybook(dir, 'a.yaml', cartPlaybook());
    const json = writePlaybook(dir, 'b.json', {
      ...cartPlaybook(),
      id: 'json',
      $schema: './playbook.schema.json',
    });
    const [fromYaml, fromJson] = validatePlaybookFiles([yaml, json]).map((result) => result.playbook);
    assert.ok(fromYaml && fromJson);
    assert.deepEqual(
      { ...fromJson, id: 'x', $schema: undefined },
      { ...fromYaml, id: 'x', $schema: undefined },
    );
    assert.equal(fromYaml.priority, 100);
    assert.equal(fromYaml.entry.reentry, 'afterExit');
  });

  it('reports every mistake of a file at once, as file: path: message', () => {
    const file = writePlaybook(tempDir(), 'bad.yaml', threeMistakes());
    const [result] = validatePlaybookFiles([file]);
    assert.ok(result && !result.playbook);
    assert.deepEqual(
      result.issues.map((issue) => formatIssue(result.file, issue)),
      [
        `${file}: colour: unknown field (not allowed here)`,
        `${file}: steps[1].next (step "reminder"): step "thank-you" is not defined (the steps are "wait", "reminder")`,
        `${file}: templates.reminder.sms: "{{trigger.data.cartUrll}}" reads trigger.data.cartUrll, ` +
          'which cart.updated events do not have (did you mean trigger.data.cartUrl?)',
      ],
    );
  });

  it('locates JSON and YAML syntax errors by line and column', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.json'), '{\n  "id": "x",\n}\n');
    writeFileSync(join(dir, 'broken.yaml'), 'id: x\nsteps:\n  - id: a\n   type: wait\n');
    writeFileSync(join(dir, 'empty.yml'), '\n');
    const lines = validatePlaybookFiles([dir]).flatMap((r) => r.issues.map((i) => formatIssue(r.file, i)));
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0] ?? '', /broken\.json: line 3, column 1: invalid JSON: /);
    assert.match(lines[1] ?? '', /broken\.yaml: line 4: invalid YAML: /);
    assert.match(lines[2] ?? '', /empty\.yml: \(file\): the file is empty/);
  });

  it('names the step by its id in every issue under a step, from the schema and from the rules', () => {
    const playbook = cartPlaybook();
    const file = writePlaybook(tempDir(), 'steps.yaml', {
      ...playbook,
      steps: [
        { id: 'wait', type: 'wait', duration: '1 hour' },
        { ...playbook.steps[1], type: 'sned' },
        { id: 'bye', type: 'exit', next: 'nowhere' },
      ],
    });
    const lines = validatePlaybookFiles([file]).flatMap((r) => r.issues.map((i) => formatIssue(r.file, i)));
    assert.deepEqual(lines, [
      `${file}: steps[0].duration (step "wait"): expected a duration such as 90s, 15m, 1h, 2d or 1w`,
      `${file}: steps[1].type (step "reminder"): unknown step type "sned" (did you mean "send"?); ` +
        'step types are wait, waitUntil, waitUntilDate, waitForEvent, branch, decideOffer, send, update, exit',
      `${file}: steps[2].next (step "bye"): unknown field (not allowed here)`,
    ]);
    // The path stays the exact JSON path; the id is a label beside it.
    const rule = writePlaybook(tempDir(), 'rule.yaml', {
      ...playbook,
      steps: [{ ...playbook.steps[0], next: 'gone' }, playbook.steps[1]],
    });
    assert.deepEqual(
      validatePlaybookFiles([rule]).flatMap((r) => r.issues.map((i) => [i.path, i.subject])),
      [
        ['steps[0].next', 'step "wait"'],
        ['steps[1]', 'step "reminder"'],
      ],
    );
  });

  it('explains YAML syntax errors once, at the line to change, in words an author understands', () => {
    const dir = tempDir();
    const templates = (subject: string, sms: string) =>
      ['id: x', 'templates:', '  reminder:', `    subject: ${subject}`, `    sms: ${sms}`, ''].join('\n');
    const cases: [string, string, string][] = [
      // An unquoted template: the parser reported three errors, none of them about quotes.
      [
        templates('{{#if profile.firstName}}{{profile.firstName}}{{/if}} cart', "'Hi'"),
        'line 4',
        'a value that starts with {{ must be in quotes',
      ],
      // Valid YAML, but {{…}} read as a map: the schema would only say "expected string".
      [templates("'Hi'", '{{trigger.data.cartUrl}}'), 'line 5', 'must be in quotes'],
      // A quote or a brace left open is reported where it opened, not where the file ended.
      ['id: x\nname: "X\nversion: 1\nsteps: []\n', 'line 2', 'the " opened here is never closed'],
      ['trigger: { event: cart.updated\nversion: 1\n', 'line 1', 'the { opened here is never closed'],
      [
        'id: x\nmaxDuration 7d\nversion: 1\n',
        'line 2',
        '"maxDuration 7d" is not a field: write it as name: value',
      ],
      ['id: x\nsteps:\n\t- id: a\n', 'line 3', 'a tab indents this line: YAML indents with spaces only'],
      ['id: x\nname: X\nid: y\n', 'line 3', '"id" appears twice here: keep one'],
    ];
    for (const [text, line, words] of cases) {
      writeFileSync(join(dir, 'broken.yaml'), text);
      const issues = validatePlaybookFiles([join(dir, 'broken.yaml')]).flatMap((r) => r.issues);
      assert.deepEqual(
        issues.map((i) => i.path),
        [line],
        JSON.stringify(issues),
      );
      assert.ok(issues[0]?.message.includes(words), `${issues[0]?.message} should say ${words}`);
    }
  });

  it('reads the playbook files of a directory, not its JSON schema, other files or subdirectories', () => {
    const dir = tempDir();
    writePlaybook(dir, 'a.yml', cartPlaybook());
    writePlaybook(dir, 'b.json', { ...cartPlaybook(), id: 'other' });
    writeFileSync(join(dir, 'playbook.schema.json'), '{}');
    writeFileSync(join(dir, 'notes.md'), '# notes');
    mkdirSync(join(dir, 'drafts'));
    writePlaybook(join(dir, 'drafts'), 'c.yaml', { nonsense: true });
    assert.deepEqual(listPlaybookFiles(dir), [join(dir, 'a.yml'), join(dir, 'b.json')]);
    assert.deepEqual(
      loadPlaybooks(dir).map((playbook) => playbook.id),
      ['test-cart', 'other'],
    );
  });

  it('loadPlaybooks throws one error listing every problem of every file', () => {
    const dir = tempDir();
    writePlaybook(dir, 'a.yaml', threeMistakes());
    writePlaybook(dir, 'b.yaml', { ...cartPlaybook(), holdout: 1.2 });
    writePlaybook(dir, 'c.yaml', cartPlaybook());
    assert.throws(
      () => loadPlaybooks(dir),
      (error: unknown) => {
        assert.ok(error instanceof InvalidPlaybooksError);
        const lines = error.message.split('\n');
        assert.equal(lines.length, 4, error.message);
        assert.ok(lines.slice(0, 3).every((line) => line.startsWith(`${join(dir, 'a.yaml')}: `)));
        assert.match(
          lines[3] ?? '',
          /b\.yaml: holdout: must be at most 1 \(a share: 0\.1 holds back one in ten\)/,
        );
        return true;
      },
    );
  });

  it('rejects two files with the same playbook id', () => {
    const dir = tempDir();
    writePlaybook(dir, 'a.yaml', cartPlaybook());
    writePlaybook(dir, 'b.yaml', cartPlaybook());
    const [a, b] = validatePlaybookFiles([dir]);
    assert.deepEqual(a?.issues, []);
    assert.deepEqual(b?.issues, [
      { path: 'id', message: `playbook id "test-cart" is already used by ${join(dir, 'a.yaml')}` },
    ]);
  });

  it('reports missing files and files that are not playbooks', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.md'), '# notes');
    const results = validatePlaybookFiles([join(dir, 'missing.yaml'), join(dir, 'notes.md')]);
    assert.deepEqual(
      results.map((r) => r.issues[0]?.message),
      ['no such file or directory', 'not a playbook file: expected .json, .yaml or .yml'],
    );
  });
});

describe('schema issues', () => {
  it('says which field is unknown, missing or misspelt', () => {
    assertOneIssue(
      issuesAfter((p) => Object.assign(p.steps[0] ?? {}, { colour: 'red' })),
      'steps[0].colour',
      /^unknown field/,
    );
    assertOneIssue(
      issuesAfter((p) => delete (p as Record<string, unknown>).maxDuration),
      'maxDuration',
      /^required/,
    );
    assertOneIssue(
      issuesAfter((p) => Object.assign(p.steps[0] ?? {}, { type: 'wiat' })),
      'steps[0].type',
      /unknown step type "wiat" \(did you mean "wait"\?\)/,
    );
    assertOneIssue(
      issuesAfter((p) => Object.assign(p.trigger, { event: 'cart.update' })),
      'trigger.event',
      /did you mean "cart.updated"/,
    );
  });

  it('checks a condition against the shape its op asks for', () => {
    assertOneIssue(
      issuesAfter((p) =>
        Object.assign(p.trigger, { where: { all: [{ field: 'event.data.items', op: 'gt' }] } }),
      ),
      'trigger.where.all[0].value',
      /^required: /,
    );
    assertOneIssue(
      issuesAfter((p) => Object.assign(p.trigger, { where: { field: 'event.data.items', op: 'notEmtpy' } })),
      'trigger.where.op',
      /unknown op "notEmtpy" \(did you mean "notEmpty"\?\)/,
    );
  });
});

describe('cross-field rules', () => {
  it('finds steps referenced but not defined', () => {
    assertOneIssue(
      issuesAfter((p) => Object.assign(p.steps[1] ?? {}, { next: 'thanks' })),
      'steps[1].next',
      /step "thanks" is not defined/,
    );
    const refs = issuesAfter((p) => {
      p.steps = [
        { id: 'offer', type: 'decideOffer', onNoOffer: 'ofer' },
        {
          id: 'branch',
          type: 'branch',
          cases: [{ when: { field: 'offer.code', op: 'exists' }, next: 'nope' }],
          otherwise: 'wait',
        },
        {
          id: 'wait',
          type: 'waitForEvent',
          event: 'order.placed',
          timeout: '1d',
          onEvent: 'gone',
          onTimeout: 'away',
        },
      ];
    });
    assert.deepEqual(
      refs.map((issue) => issue.path),
      ['steps[0].onNoOffer', 'steps[1].cases[0].next', 'steps[2].onEvent', 'steps[2].onTimeout'],
    );
    assert.match(refs[0]?.message ?? '', /did you mean "offer"\?/);
  });

  it('finds duplicate step ids', () => {
    assertOneIssue(
      issuesAfter((p) => p.steps.push({ id: 'wait', type: 'exit' })),
      'steps[2].id',
      /duplicate step id "wait": steps\[0\] already has it/,
    );
  });

  it('finds steps never reached, knowing which steps fall through to the next', () => {
    const afterExit = issuesAfter((p) => p.steps.unshift({ id: 'stop', type: 'exit' }));
    assert.deepEqual(
      afterExit.map((issue) => issue.path),
      ['steps[1]', 'steps[2]'],
    );
    assert.match(afterExit[0]?.message ?? '', /step "wait" is never reached from the first step "stop"/);
    const afterBranch = issuesAfter((p) => {
      p.steps.splice(1, 0, {
        id: 'split',
        type: 'branch',
        cases: [{ when: { field: 'profile.email', op: 'exists' }, next: 'reminder' }],
        otherwise: 'done',
      });
      p.steps.push({ id: 'done', type: 'exit' }, { id: 'orphan', type: 'wait', duration: '1h' });
    });
    assert.deepEqual(
      afterBranch.map((issue) => issue.path),
      ['steps[4]'],
    );
    // A step without next continues with the one below, so nothing is unreachable here.
    assert.deepEqual(
      issuesAfter((p) => {
        p.steps.unshift({ id: 'offer', type: 'decideOffer', onNoOffer: 'done' });
        p.steps.push({ id: 'done', type: 'exit' });
      }),
      [],
    );
  });

  it('finds waits longer than maxDuration', () => {
    assertOneIssue(
      issuesAfter((p) => Object.assign(p.steps[0] ?? {}, { duration: '8d' })),
      'steps[0].duration',
      /8d is longer than maxDuration 7d/,
    );
    assertOneIssue(
      issuesAfter((p) => {
        p.steps[0] = {
          id: 'wait',
          type: 'waitForEvent',
          event: 'checkout.started',
          timeout: '2w',
          onEvent: 'reminder',
          onTimeout: 'reminder',
        };
      }),
      'steps[0].timeout',
      /2w is longer than maxDuration 7d/,
    );
  });

  it('finds waits that together reach maxDuration before a send, on any path', () => {
    const sendAfter = (steps: PlaybookInput['steps'], maxDuration = '7d') =>
      issuesAfter((p) => {
        p.maxDuration = maxDuration;
        p.steps = [...steps, { id: 'reminder', type: 'send', channel: 'email', template: 'reminder' }];
      });
    assertOneIssue(
      sendAfter([
        { id: 'wait', type: 'wait', duration: '3d' },
        { id: 'pause', type: 'wait', duration: '5d' },
      ]),
      'steps[2]',
      /^step "reminder" is reached only after at least 8d of waiting on the path wait → pause → reminder \(wait 3d \+ pause 5d\), and maxDuration is 7d: the run ends before this step sends \(shorten the waits on this path, or raise maxDuration above 8d\)$/,
    );
    // A run ends at its deadline: a send due exactly then is too late.
    assertOneIssue(
      sendAfter([
        { id: 'wait', type: 'wait', duration: '3d' },
        { id: 'pause', type: 'wait', duration: '4d' },
      ]),
      'steps[2]',
      /at least 1w of waiting/,
    );
    assert.deepEqual(
      sendAfter([
        { id: 'wait', type: 'wait', duration: '3d' },
        { id: 'pause', type: 'wait', duration: '95h' },
      ]),
      [],
    );
    // The longest path counts: one branch that waits too long is one whose customers never get it.
    assertOneIssue(
      sendAfter([
        {
          id: 'split',
          type: 'branch',
          cases: [{ when: { field: 'profile.email', op: 'exists' }, next: 'soon' }],
          otherwise: 'later',
        },
        { id: 'soon', type: 'wait', duration: '1d', next: 'reminder' },
        { id: 'later', type: 'wait', duration: '4d' },
        { id: 'again', type: 'wait', duration: '4d' },
      ]),
      'steps[4]',
      /on the path split → later → again → reminder \(later 4d \+ again 4d\)/,
    );
    // A waitForEvent's timeout counts on the way to onTimeout only: the event may come at once.
    const awaitOrder = (onEvent: string, onTimeout: string): PlaybookInput['steps'] => [
      { id: 'wait', type: 'wait', duration: '4d' },
      {
        id: 'await',
        type: 'waitForEvent',
        event: 'checkout.started',
        timeout: '4d',
        onEvent,
        onTimeout,
      },
      { id: 'done', type: 'exit' },
    ];
    assert.deepEqual(sendAfter(awaitOrder('reminder', 'done')), []);
    assertOneIssue(sendAfter(awaitOrder('done', 'reminder')), 'steps[3]', /wait 4d \+ await 4d/);
    // waitUntil and waitUntilDate may continue at once, so they add nothing certain.
    assert.deepEqual(
      sendAfter([
        { id: 'wait', type: 'wait', duration: '6d' },
        { id: 'daytime', type: 'waitUntil', from: '09:00', to: '20:00' },
      ]),
      [],
    );
    // A loop back to an earlier step is not followed round again.
    assert.deepEqual(
      sendAfter([
        { id: 'wait', type: 'wait', duration: '1d' },
        {
          id: 'again',
          type: 'branch',
          cases: [{ when: { field: 'profile.email', op: 'missing' }, next: 'wait' }],
          otherwise: 'reminder',
        },
      ]),
      [],
    );
  });

  it('finds offer variables read where no decideOffer step has chosen an offer yet', () => {
    const readsOffer = (steps: PlaybookInput['steps']) =>
      issuesAfter((p) => {
        Object.assign(p.templates?.reminder ?? {}, { text: 'Your code: {{offer.code}}' });
        p.steps = steps;
      });
    const send = { id: 'reminder', type: 'send', channel: 'email', template: 'reminder' } as const;
    assertOneIssue(
      readsOffer([{ id: 'wait', type: 'wait', duration: '1h' }, send, { id: 'choose', type: 'decideOffer' }]),
      'steps[1].template',
      /^step "reminder" sends template "reminder", which reads \{\{offer.code\}\}, but the run can reach it through wait → reminder without passing a decideOffer step, so there is no offer yet and it would be empty \(put a decideOffer step before it on every path\)$/,
    );
    // A branch around the decideOffer is a path without one.
    assertOneIssue(
      readsOffer([
        {
          id: 'split',
          type: 'branch',
          cases: [{ when: { field: 'profile.loyaltyTier', op: 'eq', value: 'gold' }, next: 'choose' }],
          otherwise: 'reminder',
        },
        { id: 'choose', type: 'decideOffer', next: 'reminder' },
        send,
      ]),
      'steps[2].template',
      /through split → reminder without passing a decideOffer step/,
    );
    // So is a waitForEvent whose onEvent skips it.
    assertOneIssue(
      readsOffer([
        {
          id: 'await',
          type: 'waitForEvent',
          event: 'checkout.started',
          timeout: '1d',
          onEvent: 'reminder',
          onTimeout: 'choose',
        },
        { id: 'choose', type: 'decideOffer' },
        send,
      ]),
      'steps[2].template',
      /through await → reminder/,
    );
    // Conditions read the offer too.
    assertOneIssue(
      issuesAfter((p) =>
        p.steps.unshift(
          {
            id: 'split',
            type: 'branch',
            cases: [{ when: { field: 'offer.kind', op: 'eq', value: 'gift' }, next: 'choose' }],
            otherwise: 'choose',
          },
          { id: 'choose', type: 'decideOffer' },
        ),
      ),
      'steps[0].cases[0].when',
      /^step "split" reads offer.kind, but the run can reach it through split without passing a decideOffer step/,
    );
    // After the decision, on every path, the offer is there (or the run took onNoOffer).
    assert.deepEqual(
      readsOffer([
        { id: 'choose', type: 'decideOffer', onNoOffer: 'done' },
        { id: 'wait', type: 'wait', duration: '1h' },
        send,
        { id: 'done', type: 'exit' },
      ]),
      [],
    );
  });

  it('checks that entry cooldown and reentry agree', () => {
    assertOneIssue(
      issuesAfter((p) => (p.entry = { reentry: 'cooldown' })),
      'entry.cooldown',
      /missing: entry.reentry is "cooldown"/,
    );
    assertOneIssue(
      issuesAfter((p) => (p.entry = { cooldown: '7d' })),
      'entry.cooldown',
      /only used when entry.reentry is "cooldown" \(it is "afterExit"\)/,
    );
    assert.deepEqual(
      issuesAfter((p) => (p.entry = { reentry: 'cooldown', cooldown: '7d' })),
      [],
    );
  });

  it('checks send steps against their templates', () => {
    assertOneIssue(
      issuesAfter((p) => Object.assign(p.steps[1] ?? {}, { template: 'remindr' })),
      'steps[1].template',
      /template "remindr" is not defined in templates \(did you mean "reminder"\?\)/,
    );
    assertOneIssue(
      issuesAfter((p) => delete p.templates?.reminder?.subject),
      'templates.reminder.subject',
      /missing: step "reminder" \(steps\[1\]\) sends this template by email/,
    );
    assertOneIssue(
      issuesAfter((p) => delete p.templates?.reminder?.text),
      'templates.reminder.text',
      /by email, so it needs text/,
    );
    assertOneIssue(
      issuesAfter((p) => delete p.templates?.reminder?.sms),
      'templates.reminder.sms',
      /may send this template \(its fallback\) by sms/,
    );
    assertOneIssue(
      issuesAfter((p) => {
        delete p.templates?.reminder?.sms;
        Object.assign(p.steps[1] ?? {}, { channel: 'sms', fallback: undefined });
      }),
      'templates.reminder.sms',
      /missing: step "reminder" \(steps\[1\]\) sends this template by sms, so it needs sms/,
    );
  });

  it('checks the variables templates read against the trigger, the profile and the offer', () => {
    const withText = (text: string) =>
      issuesAfter((p) => Object.assign(p.templates?.reminder ?? {}, { text }));
    assert.deepEqual(
      withText('{{profile.attributes.shoeSize}} {{trigger.customerId}} {{trigger.occurredAt | date}}'),
      [],
    );
    assertOneIssue(
      withText('{{#each trigger.data.items}}{{this.nmae}}{{/each}}'),
      'templates.reminder.text',
      /^"\{\{this.nmae\}\}" reads trigger.data.items\[\].nmae, which cart.updated events do not have \(did you mean trigger.data.items\[\].name\?\)$/,
    );
    assertOneIssue(
      withText('{{profile.firstname}}'),
      'templates.reminder.text',
      /not a profile field \(did you mean profile.firstName\?\)/,
    );
    assertOneIssue(
      withText('{{offer.code}}'),
      'templates.reminder.text',
      /the playbook has no decideOffer step/,
    );
    assertOneIssue(
      withText('{{offer.percent}}'),
      'templates.reminder.text',
      /offer.percent, which is not an offer field/,
    );
    assertOneIssue(
      withText('{{trigger.data.items.name}}'),
      'templates.reminder.text',
      /is a list, loop over it with \{\{#each trigger.data.items\}\}/,
    );
    assertOneIssue(
      withText('{{#each trigger.data.cartId}}x{{/each}}'),
      'templates.reminder.text',
      /loops over trigger.data.cartId, which is not a list/,
    );
    assertOneIssue(
      withText('Hi {{this.name}}'),
      'templates.reminder.text',
      /line 1, column 4: .*this only means something inside \{\{#each/,
    );
    assertOneIssue(
      withText('{{#if profile.email}}x'),
      'templates.reminder.text',
      /line 1, column 1: \{\{#if profile.email\}\} is never closed/,
    );
    assert.deepEqual(
      issuesAfter((p) => {
        p.steps.unshift({ id: 'offer', type: 'decideOffer' });
        Object.assign(p.templates?.reminder ?? {}, { text: '{{offer.title}}: {{offer.code}}' });
      }),
      [],
    );
  });

  it('checks the variables conditions read, and the keys that tie events together', () => {
    assertOneIssue(
      issuesAfter((p) => (p.audience = { any: [{ field: 'trigger.data.total', op: 'gt', value: 50 }] })),
      'audience.any[0].field',
      /^reads trigger.data.total, which cart.updated events do not have$/,
    );
    assertOneIssue(
      issuesAfter(
        (p) => (p.audience = { field: 'profile.country', op: 'eq', value: { ref: 'trigger.data.country' } }),
      ),
      'audience.value.ref',
      /reads trigger.data.country/,
    );
    assertOneIssue(
      issuesAfter((p) => Object.assign(p.trigger, { where: { field: 'event.data.itmes', op: 'notEmpty' } })),
      'trigger.where.field',
      /did you mean event.data.items\?/,
    );
    assertOneIssue(
      issuesAfter(
        (p) => (p.exit = { goals: [{ event: 'order.delivered', matchTriggerOn: 'event.data.cartId' }] }),
      ),
      'exit.goals[0].matchTriggerOn',
      /compares event.data.cartId, which order.delivered events do not have/,
    );
    assertOneIssue(
      issuesAfter((p) => (p.entry = { key: 'event.data.cartID' })),
      'entry.key',
      /did you mean event.data.cartId\?/,
    );
  });

  it('lets catalog events trigger, reading their own fields', () => {
    const catalog = (text: string) =>
      issuesAfter((p) => {
        p.trigger = { event: 'product.price_dropped', fanOut: { to: ['wishlisted'] } };
        delete p.exit;
        p.templates = { reminder: { subject: 'Price drop', text, sms: 'x' } };
      });
    assert.deepEqual(
      catalog('{{trigger.data.name}} now {{trigger.data.newPrice | money:trigger.data.currency}}'),
      [],
    );
    assertOneIssue(
      catalog('{{trigger.customerId}}'),
      'templates.reminder.text',
      /product.price_dropped events do not have/,
    );
  });
});

describe('event fields renamed in issue 15', () => {
  it('a playbook that still reads an old name validates, as before, with a warning naming the new one', () => {
    const playbook = cartPlaybook() as PlaybookInput & Record<string, unknown>;
    Object.assign(playbook.templates?.reminder ?? {}, {
      text: '{{#each trigger.data.items}}{{this.unitPrice | money:trigger.data.currency}}{{/each}}',
    });
    playbook.exit = {
      goals: [{ event: 'order.placed', where: { field: 'event.data.channel', op: 'eq', value: 'store' } }],
    };
    const check = validatePlaybook(playbook);
    assert.deepEqual(check.issues, []);
    assert.deepEqual(
      check.warnings.filter((w) => w.path !== 'priority'),
      [
        {
          path: 'exit.goals[0].where.field',
          message:
            'reads event.data.channel by an old name (channel is now salesChannel, ' +
            'issue 15): it still reads the value, but write event.data.salesChannel',
        },
        {
          path: 'templates.reminder.text',
          message:
            '"{{this.unitPrice | money:trigger.data.currency}}" reads trigger.data.items[].unitPrice by an ' +
            'old name (unitPrice is now price, issue 15): it still reads the value, but write ' +
            'trigger.data.items[].price',
        },
      ],
    );
  });

  it('a field under its own name is no old name: consent.updated has a channel', () => {
    const playbook = cartPlaybook() as PlaybookInput & Record<string, unknown>;
    playbook.exit = {
      goals: [{ event: 'consent.updated', where: { field: 'event.data.channel', op: 'eq', value: 'email' } }],
    };
    const check = validatePlaybook(playbook);
    assert.deepEqual(check.issues, []);
    assert.deepEqual(
      check.warnings.filter((w) => w.path !== 'priority'),
      [],
    );
  });

  it('an old name is known only where the field is: unitPrice is no field of an order', () => {
    const issues = issuesAfter((p) => {
      p.exit = {
        goals: [{ event: 'order.placed', where: { field: 'event.data.lastOrderedAt', op: 'exists' } }],
      };
    });
    assertOneIssue(issues, 'exit.goals[0].where.field', /order.placed events do not have/);
  });
});
