import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdownText } from '../engine/render/markdownText';

/* How the UI renders the result is checked in a browser: test/temporalUi.e2e.test.ts. */
describe('markdownText: what the engine writes to the Temporal UI shows as plain text', () => {
  it('escapes a link, emphasis and HTML so none of them is Markdown any more', () => {
    assert.equal(
      markdownText('[Click to verify](https://evil.example/login) **urgent**'),
      String.raw`\[Click to verify\]\(https\://evil\.example/login\) \*\*urgent\*\*`,
    );
    assert.equal(
      markdownText('<img src=x onerror=alert(1)> &amp; www.evil.example'),
      String.raw`\<img src=x onerror=alert\(1\)\> \&amp; www\.evil\.example`,
    );
  });

  it('escapes each character the UI gives a meaning to, and only those', () => {
    const special = '!#$&()*+-.:<>[\\]^_`{|}~';
    assert.equal(markdownText(special), [...special].map((c) => `\\${c}`).join(''));
    // The UI would show a backslash before these: they stay as they are.
    assert.equal(markdownText(`"',/;=?@% ada 42 Ünïcode ✓`), `"',/;=?@% ada 42 Ünïcode ✓`);
  });

  it('turns line breaks into spaces, so a value cannot start a heading, list or code block', () => {
    assert.equal(markdownText('a\n# b\r\n    c\td'), String.raw`a \# b     c d`);
  });

  it('breaks the UI’s {workflowId} placeholders', () => {
    assert.equal(markdownText('{workflowId}'), String.raw`\{workflowId\}`);
  });
});
