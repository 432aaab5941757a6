import { isCollection, isScalar, visit, type Document, type LineCounter, type YAMLError } from 'yaml';
import type { InputIssue } from '../issues';

/*
 * YAML syntax errors in the words of someone who writes playbooks, not of a parser. The `yaml`
 * package finds the problem and its place; this says what to change, at the line where the author
 * has to look, which is often before the place the parser stopped: a `{` or a quote opened and
 * never closed is reported where the file ended or the indentation dropped.
 *
 * Only the first syntax error of a file is reported, with the duplicates of a field: once the
 * parser has lost its footing, what it says about the lines after is mostly an echo of the first
 * mistake. Fixing it and validating again shows the next one.
 */

/** A value starting with {{ is read as a YAML { } map, the most common mistake in templates. */
const UNQUOTED_TEMPLATE = /(^|:|-)\s+\{\{/;

interface Place {
  line: number;
  col: number;
}

function lineText(text: string, line: number): string {
  return text.split('\n')[line - 1]?.trim() ?? '';
}

/** The start of the innermost quoted scalar or flow collection ({ } or [ ]) that runs over `offset`. */
function openedAt(document: Document, offset: number, wanted: 'quote' | 'flow'): number | undefined {
  let start: number | undefined;
  visit(document, (_key, node) => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!range || range[0] > offset || range[2] < offset) return;
    const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    const flow = isCollection(node) && node.flow === true;
    if ((wanted === 'quote' && quoted) || (wanted === 'flow' && flow)) start = range[0];
  });
  return start;
}

function issue(place: Place, message: string, withColumn = false): InputIssue {
  return {
    path: withColumn ? `line ${place.line}, column ${place.col}` : `line ${place.line}`,
    message: `invalid YAML: ${message}`,
  };
}

/** The author's version of one error, at the line to look at. */
function explain(error: YAMLError, text: string, document: Document, lines: LineCounter): InputIssue {
  const at = lines.linePos(error.pos[0]);
  const here = lineText(text, at.line);
  if (UNQUOTED_TEMPLATE.test(here) || (error.code === 'BAD_INDENT' && /Flow map/.test(error.message))) {
    const open = openedAt(document, error.pos[0], 'flow');
    const opening = open === undefined ? at : lines.linePos(open);
    if (UNQUOTED_TEMPLATE.test(lineText(text, opening.line))) {
      return issue(
        opening,
        "a value that starts with {{ must be in quotes, e.g. subject: '{{profile.firstName}}, your cart'",
      );
    }
    if (/Flow (map|sequence)/.test(error.message))
      return issue(opening, `the ${/map/.test(error.message) ? '{' : '['} opened here is never closed`);
  }
  switch (error.code) {
    case 'BAD_INDENT':
      if (/Flow sequence/.test(error.message)) {
        const open = openedAt(document, error.pos[0], 'flow');
        return issue(open === undefined ? at : lines.linePos(open), 'the [ opened here is never closed');
      }
      return issue(
        at,
        `"${here}" and the field before it are indented differently: the fields of one group start ` +
          'at the same column',
      );
    case 'MISSING_CHAR':
      if (/closing .quote/.test(error.message)) {
        const open = openedAt(document, error.pos[0], 'quote');
        const quote = /closing "quote/.test(error.message) ? '"' : "'";
        return issue(
          open === undefined ? at : lines.linePos(open),
          `the ${quote} opened here is never closed`,
        );
      }
      if (/Sequence item/.test(error.message)) {
        return issue(
          at,
          `"${here}" is indented like an item of the list above but does not start with "- ": ` +
            'start it with "- " for a new item, or indent it like the fields of the item above',
        );
      }
      break;
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY':
      // "name: value" then a line indented under it: the value would continue there.
      if (/^[^:#]+:\s\S/.test(here)) {
        return issue(
          { line: at.line + 1, col: 1 },
          `"${lineText(text, at.line + 1)}" is indented further than "${here}" above it: ` +
            'line it up with that field, or make it part of a list or group that field opens',
        );
      }
      return issue(
        at,
        `"${here}" is not a field: write it as name: value, with a colon and a space after the name`,
      );
    case 'TAB_AS_INDENT':
      return issue(at, 'a tab indents this line: YAML indents with spaces only');
    case 'DUPLICATE_KEY':
      return issue(at, `"${here.split(':')[0] ?? here}" appears twice here: keep one`);
    default:
      break;
  }
  // A rarer mistake: the parser's own words, at its place.
  return issue(at, `${error.message.split('\n')[0] ?? ''}`, true);
}

/** The issues of a YAML document that failed to parse: the first error, and every duplicated field. */
export function yamlSyntaxIssues(text: string, document: Document, lines: LineCounter): InputIssue[] {
  const [first, ...rest] = document.errors;
  if (!first) return [];
  const errors = [first, ...rest.filter((error) => error.code === 'DUPLICATE_KEY')];
  const issues = errors.map((error) => explain(error, text, document, lines));
  return issues.filter(
    (one, i) => issues.findIndex((other) => other.path === one.path && other.message === one.message) === i,
  );
}

/**
 * `sms: {{profile.firstName}}` is valid YAML: a map whose key is another map. No playbook field is
 * meant that way, so it is the quoting mistake, reported before the schema calls it "not a text".
 */
export function unquotedTemplateIssues(document: Document, lines: LineCounter): InputIssue[] {
  const issues: InputIssue[] = [];
  visit(document, {
    Pair(_key, pair) {
      const key = pair.key as { range?: [number, number, number] } | null;
      if (!isCollection(pair.key) || !key?.range) return;
      issues.push(
        issue(
          lines.linePos(key.range[0]),
          "a value that starts with {{ must be in quotes, e.g. sms: '{{profile.firstName}}, your cart'",
        ),
      );
    },
  });
  return issues;
}
