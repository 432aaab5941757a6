import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { liftChartSvg } from '../engine/measurement/liftChart';

/* The lift forest plot: well-formed, every playbook on it, and "not significant" said where it is. */

/** Checks that every tag closes in order and no bare `<` or `&` is left in text: XML enough for SVG. */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  for (const match of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^<>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else stack.push(name!);
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  const text = svg.replace(/<[^<>]*>/g, '');
  assert.doesNotMatch(text, /[<>]/, 'a bare < or > in text');
  assert.doesNotMatch(text, /&(?!(amp|lt|gt|quot|apos);)/, 'an unescaped &');
}

describe('liftChartSvg', () => {
  const svg = liftChartSvg([
    {
      label: 'cart-abandonment',
      lift: { value: 0.2, interval: { low: 0.14, high: 0.26 } },
      verdict: 'significant',
    },
    {
      label: 'win-back <VIP> & "friends"',
      lift: { value: 0.02, interval: { low: -0.05, high: 0.09 } },
      verdict: 'not significant',
    },
    { label: 'tiny', lift: { value: -1, interval: { low: -1, high: 40 } }, verdict: 'not significant' },
    { label: 'new-playbook', lift: { na: 'no control customers' }, verdict: 'n/a' },
  ]);

  it('is well-formed SVG with each playbook, escaped', () => {
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assertWellFormed(svg);
    for (const label of [
      'cart-abandonment',
      'win-back &lt;VIP&gt; &amp; &quot;friends&quot;',
      'tiny',
      'new-playbook',
    ])
      assert.ok(svg.includes(`>${label}</text>`), label);
    assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
  });

  it('marks what is not significant and explains what cannot be computed', () => {
    assert.match(svg, /\+2\.0% \[-5\.0%, \+9\.0%\] not significant/);
    assert.match(svg, /\+20\.0% \[\+14\.0%, \+26\.0%\]</);
    assert.match(svg, /n\/a: no control customers/);
    assert.match(svg, /stroke-dasharray/, 'the zero line');
  });
});
