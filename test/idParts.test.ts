import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { decisionRecordId } from '../store/decisions';
import { outcomeId } from '../store/offerEvidence';
import { composeId, idPart, MAX_WORKFLOW_ID_BYTES } from '../engine/ids/idParts';
import { journeyId, legacyRunKey, runKey } from '../engine/ids/journeyKeys';
import {
  computedEventId,
  lapseTimerId,
  replenishmentTimerId,
  timerWorkflowId,
} from '../engine/triggers/timerCommands';
import { sha256Hex } from '../engine/ids/sha256';
import { stepKey } from '../engine/interpreter/stepKey';

const long = (char: string) => char.repeat(200);
/** Parts that break a naive join: separators, the escape, the shortening mark, controls, surrogates, unicode, empty, long. */
const ADVERSARIAL = [
  '',
  ':',
  '::',
  '%',
  '%3A',
  '%25',
  '~',
  'a~0123',
  '1:x',
  'ops-col',
  'ops-col:1',
  'x',
  'a%3Ab',
  'a:b',
  'a\nb',
  'a\u0000',
  '\ud800',
  '\udc00',
  '\ud83d\ude00',
  'é',
  'e\u0301',
  '顧客',
  '#head',
  'c@x',
  long(':'),
  long('%'),
  long('顧'),
  long('a'),
  long('a') + 'b',
  long('😀'.slice(0, 1)),
  long('~'),
];

function* tuples(n: number): Generator<string[]> {
  if (n === 0) {
    yield [];
    return;
  }
  for (const head of ADVERSARIAL) for (const rest of tuples(n - 1)) yield [head, ...rest];
}

describe('composed IDs (issue 14, item 1)', () => {
  it('gives different IDs for any two different lists of parts, for every composer', () => {
    const composers: [string, (p: string[]) => string][] = [
      ['journey, keyed', ([c, k]) => journeyId('care-tips', c!, k)],
      ['journey, any shape', (p) => (p.length === 1 ? journeyId('pb', p[0]!) : journeyId('pb', p[0]!, p[1]))],
      ['message key', ([c, e]) => stepKey({ runKey: runKey('care-tips', c!, e!), visits: {} }, 'care')],
      ['offer outcome', ([o, offer]) => outcomeId('redeemed', o!, offer!)],
      ['replenishment timer', ([c, s]) => timerWorkflowId(replenishmentTimerId(c!, s!))],
      ['decision record', ([c, e]) => decisionRecordId(journeyId('pb', c!), e!, 1)],
      ['computed event', ([c, s]) => computedEventId(replenishmentTimerId(c!, s!), 0)],
    ];
    const inputs = [...tuples(1), ...tuples(2)];
    for (const [name, compose] of composers) {
      const seen = new Map<string, string>();
      for (const parts of inputs) {
        if (name !== 'journey, any shape' && parts.length !== 2) continue;
        const id = compose(parts);
        const key = JSON.stringify(parts);
        const before = seen.get(id);
        assert.ok(before === undefined || before === key, `${name}: ${before} and ${key} share ${id}`);
        seen.set(id, key);
      }
    }
  });

  it("keeps the issue's two customers apart", () => {
    assert.notEqual(journeyId('care-tips', 'ops-col', '1:x'), journeyId('care-tips', 'ops-col:1', 'x'));
    assert.equal(journeyId('care-tips', 'ops-col', '1:x'), 'journey:care-tips:ops-col:1%3Ax');
    assert.equal(journeyId('care-tips', 'ops-col:1', 'x'), 'journey:care-tips:ops-col%3A1:x');
    assert.notEqual(lapseTimerId('a:b'), replenishmentTimerId('a', 'b').replace('replenishment', 'lapse'));
  });

  it('leaves plain parts byte-identical, so runs started before escaping keep their IDs', () => {
    assert.equal(journeyId('cart-abandonment', 'c-42'), 'journey:cart-abandonment:c-42');
    assert.equal(
      journeyId('care-tips', 'alice@example.com', 'o-1#2'),
      'journey:care-tips:alice@example.com:o-1#2',
    );
    assert.equal(journeyId('pb', 'Åsa Nyström 顧客'), 'journey:pb:Åsa Nyström 顧客');
    assert.equal(runKey('pb', 'c-1', 'evt-1'), legacyRunKey('pb', 'c-1', 'evt-1'));
    const computed = 'lapse:c-1@2026-12-01T00:00:00.000Z';
    assert.equal(runKey('pb', 'c-1', computed), legacyRunKey('pb', 'c-1', computed));
    assert.equal(timerWorkflowId(replenishmentTimerId('c-42', 'SKU-1')), 'trigger:replenishment:c-42:SKU-1');
    assert.equal(idPart('a:b%c~d\ne'), 'a%3Ab%25c%7Ed%0Ae');
  });

  it('fits any input the schema allows within Temporal’s 1000-byte workflow ID limit', () => {
    // Customer and order IDs are at most 200 UTF-16 units; playbook IDs and SKUs have no bound.
    for (const worst of [long('%'), long('顧'), long('\ud800'), long('😀').slice(0, 200)]) {
      const id = journeyId('p'.repeat(500), worst, worst);
      assert.ok(Buffer.byteLength(id) <= MAX_WORKFLOW_ID_BYTES, `${Buffer.byteLength(id)} bytes`);
      const timer = timerWorkflowId(replenishmentTimerId(worst, worst.repeat(20)));
      assert.ok(Buffer.byteLength(timer) <= MAX_WORKFLOW_ID_BYTES, `${Buffer.byteLength(timer)} bytes`);
      assert.ok(computedEventId(replenishmentTimerId(worst, worst), 0).length <= 200);
    }
    // A shortened part keeps its start, readable, and the rest of the ID as it was.
    assert.match(journeyId('pb', 'c-1', long('顧') + long('顧')), /^journey:pb:c-1:顧{16}~[0-9a-f]{32}$/);
    assert.equal(composeId(['a', long('a')]), `a:${long('a')}`);
  });

  it('hashes like node:crypto’s SHA-256', () => {
    for (const text of [
      '',
      'abc',
      'a'.repeat(55),
      'a'.repeat(56),
      'a'.repeat(64),
      'Åsa 顧客 😀'.repeat(40),
    ]) {
      assert.equal(sha256Hex(text), createHash('sha256').update(text).digest('hex'));
    }
  });
});
