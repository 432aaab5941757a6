import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseEvent } from '../schemas/events/parse';
import { EVENT_TYPES } from '../schemas/events/schema';
import { EVENTS_DOC_FILE, renderEventsDoc } from '../tools/scripts/eventsDoc';
import { EVENT_DOCS } from '../tools/scripts/eventsDocContent';

describe('docs/events.md', () => {
  it('is what the zod schema generates today (run npm run docs:events after changing it)', async () => {
    assert.equal(readFileSync(EVENTS_DOC_FILE, 'utf8'), await renderEventsDoc());
  });

  it('documents every event type, each with an example that is accepted as written', () => {
    for (const type of EVENT_TYPES) {
      const { example } = EVENT_DOCS[type];
      assert.equal(example.type, type);
      assert.deepEqual(parseEvent(example), example, `${type}: its example is in the current form`);
    }
  });

  it('lists every old name still accepted', () => {
    const doc = readFileSync(EVENTS_DOC_FILE, 'utf8');
    for (const old of ['unitPrice', 'data.channel', 'lastOrderedAt', 'withinDays'])
      assert.ok(doc.includes(old), old);
  });
});
