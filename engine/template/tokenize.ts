import { TemplateSyntaxError } from './ast';

/*
 * Splits a template into text and `{{…}}` tags. Block tags (`#each`, `/each`, `#if`, `else`,
 * `/if`, comments) alone on their line take the line with them, as in Mustache: a text email
 * written with one tag per line must not come out full of blank lines.
 */

export type Token =
  { kind: 'text'; text: string } | { kind: 'tag'; body: string; tag: string; offset: number };

const BLOCK_TAG = /^(#|\/|!|else$)/;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let cursor = 0;
  while (cursor < source.length) {
    const open = source.indexOf('{{', cursor);
    if (open === -1) {
      tokens.push({ kind: 'text', text: source.slice(cursor) });
      break;
    }
    if (open > cursor) tokens.push({ kind: 'text', text: source.slice(cursor, open) });
    if (source.startsWith('{{{', open)) {
      throw new TemplateSyntaxError(
        source,
        open,
        'triple braces {{{…}}} are not supported: write {{path}} (values are escaped in html automatically)',
      );
    }
    const close = source.indexOf('}}', open + 2);
    const nextOpen = source.indexOf('{{', open + 2);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      throw new TemplateSyntaxError(source, open, 'this {{ is never closed with }}');
    }
    const tag = source.slice(open, close + 2);
    tokens.push({ kind: 'tag', body: tag.slice(2, -2).trim(), tag, offset: open });
    cursor = close + 2;
  }
  stripStandaloneLines(tokens);
  return tokens;
}

function isBlockTag(token: Token | undefined): boolean {
  return token?.kind === 'tag' && BLOCK_TAG.test(token.body);
}

/** Nothing but spaces since the start of the line (or of the template) before this text ends. */
function endsAtLineStart(token: Token | undefined, isFirst: boolean): boolean {
  if (token === undefined) return true;
  if (token.kind !== 'text') return false;
  const lastLine = token.text.slice(token.text.lastIndexOf('\n') + 1);
  return /^[ \t]*$/.test(lastLine) && (isFirst || token.text.includes('\n'));
}

/** Nothing but spaces until the end of the line (or of the template) after this text starts. */
function startsAtLineEnd(token: Token | undefined, isLast: boolean): boolean {
  if (token === undefined) return true;
  if (token.kind !== 'text') return false;
  return /^[ \t]*\r?\n/.test(token.text) || (isLast && /^[ \t]*$/.test(token.text));
}

function stripStandaloneLines(tokens: Token[]): void {
  // Decided on the original text first, so two block tags on consecutive lines are both standalone.
  const standalone = tokens.map(
    (token, i) =>
      isBlockTag(token) &&
      endsAtLineStart(tokens[i - 1], i - 1 === 0) &&
      startsAtLineEnd(tokens[i + 1], i + 1 === tokens.length - 1),
  );
  tokens.forEach((token, i) => {
    if (token.kind !== 'text') return;
    let text = token.text;
    if (standalone[i - 1]) text = text.replace(/^[ \t]*(\r?\n|$)/, '');
    if (standalone[i + 1]) text = text.replace(/[ \t]*$/, '');
    token.text = text;
  });
}
