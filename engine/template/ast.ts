/*
 * The parsed form of a message template. Plain data, so a parsed template can cross a workflow
 * boundary or be cached; every node keeps its tag's text and offset so errors can quote it.
 */

/** Where a path starts: the entering event, the customer, the offer, or the current `#each` item. */
export type PathRoot = 'trigger' | 'profile' | 'offer' | 'this' | '@index';

export interface TemplatePath {
  root: PathRoot;
  /** Property names, or digit strings for a list position (`items.0.name`). */
  segments: string[];
  /** As written, e.g. `this.unitPrice`. */
  text: string;
}

export type FilterName = 'money' | 'upper' | 'lower' | 'date';

export interface FilterCall {
  name: FilterName;
  /** `money`'s currency: a path, or a literal ISO 4217 code such as `EUR`. */
  arg?: { path: TemplatePath } | { currency: string };
}

interface TagInfo {
  /** The whole tag as written, braces included, e.g. `{{this.unitPrice | money:trigger.data.currency}}`. */
  tag: string;
  /** Offset of the tag's `{{` in the source. */
  offset: number;
}

export interface TextNode {
  kind: 'text';
  text: string;
}
export interface ValueNode extends TagInfo {
  kind: 'value';
  path: TemplatePath;
  filters: FilterCall[];
}
export interface EachNode extends TagInfo {
  kind: 'each';
  path: TemplatePath;
  body: TemplateNode[];
  /** Rendered when the list is missing or empty. */
  otherwise: TemplateNode[];
}
export interface IfNode extends TagInfo {
  kind: 'if';
  path: TemplatePath;
  body: TemplateNode[];
  otherwise: TemplateNode[];
}
export type TemplateNode = TextNode | ValueNode | EachNode | IfNode;

export interface TemplateAst {
  source: string;
  nodes: TemplateNode[];
}

/** 1-based line and column of an offset, the way editors count. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
  readonly line: number;
  readonly column: number;
  constructor(
    source: string,
    /** Offset of the offending tag in the source. */
    readonly offset: number,
    /** What is wrong, without the position. */
    readonly reason: string,
  ) {
    const { line, column } = lineColumn(source, offset);
    super(`line ${line}, column ${column}: ${reason}`);
    this.line = line;
    this.column = column;
  }
}
