import {
  TemplateSyntaxError,
  lineColumn,
  type FilterCall,
  type FilterName,
  type PathRoot,
  type TemplateAst,
  type TemplateNode,
  type TemplatePath,
} from './ast';
import { tokenize, type Token } from './tokenize';

/*
 * Grammar (whitespace inside tags is free):
 *   template := ( text | tag )*
 *   tag      := "{{" ( value | "#each " path | "#if " path | "else" | "/each" | "/if" | "!" comment ) "}}"
 *   value    := path ( "|" filter )*
 *   filter   := "upper" | "lower" | "date" | "money:" ( path | CURRENCY )
 *   path     := ( "trigger" | "profile" | "offer" | "this" ) ( "." name | "." digits )* | "@index"
 * `this` and `@index` only inside #each.
 */

const ROOTS: readonly PathRoot[] = ['trigger', 'profile', 'offer', 'this', '@index'];
const SEGMENT = /^([A-Za-z_][A-Za-z0-9_]*|\d+)$/;
const CURRENCY = /^[A-Z]{3}$/;
const FILTERS: readonly FilterName[] = ['money', 'upper', 'lower', 'date'];

interface OpenBlock {
  node: Extract<TemplateNode, { kind: 'each' | 'if' }>;
  inElse: boolean;
}

class Parser {
  private readonly root: TemplateNode[] = [];
  private readonly open: OpenBlock[] = [];

  constructor(private readonly source: string) {}

  parse(): TemplateAst {
    for (const token of tokenize(this.source)) this.accept(token);
    const unclosed = this.open.at(-1);
    if (unclosed) {
      throw this.error(
        unclosed.node.offset,
        `${unclosed.node.tag} is never closed: add {{/${unclosed.node.kind}}} after its content`,
      );
    }
    return { source: this.source, nodes: this.root };
  }

  private accept(token: Token): void {
    if (token.kind === 'text') {
      if (token.text !== '') this.append({ kind: 'text', text: token.text });
      return;
    }
    const { body, tag, offset } = token;
    if (body.startsWith('!')) return;
    if (body === '') throw this.error(offset, 'empty tag {{}}: write a path such as {{profile.firstName}}');
    if (body === 'else') return this.acceptElse(tag, offset);
    if (body.startsWith('/')) return this.close(body.slice(1).trim(), tag, offset);
    if (body.startsWith('#')) return this.openBlock(body.slice(1), tag, offset);
    const [pathText = '', ...filterTexts] = body.split('|').map((part) => part.trim());
    this.append({
      kind: 'value',
      tag,
      offset,
      path: this.path(pathText, tag, offset),
      filters: filterTexts.map((text) => this.filter(text, tag, offset)),
    });
  }

  private openBlock(rest: string, tag: string, offset: number): void {
    const match = /^(\S+)\s*(.*)$/.exec(rest) ?? [];
    const keyword = match[1] ?? '';
    const pathText = (match[2] ?? '').trim();
    if (keyword !== 'each' && keyword !== 'if') {
      throw this.error(offset, `unknown tag ${tag}: blocks are {{#each path}} and {{#if path}}`);
    }
    if (pathText === '')
      throw this.error(offset, `${tag} needs a path, e.g. {{#${keyword} trigger.data.items}}`);
    const path = this.path(pathText, tag, offset);
    if (keyword === 'each' && path.root === '@index')
      throw this.error(offset, `${tag}: @index is not a list`);
    const node = { kind: keyword, tag, offset, path, body: [], otherwise: [] } as OpenBlock['node'];
    this.append(node);
    this.open.push({ node, inElse: false });
  }

  private acceptElse(tag: string, offset: number): void {
    const block = this.open.at(-1);
    if (!block) throw this.error(offset, '{{else}} outside {{#if}} or {{#each}}');
    if (block.inElse)
      throw this.error(offset, `a second {{else}} in ${block.node.tag} ${this.at(block.node.offset)}`);
    block.inElse = true;
  }

  private close(keyword: string, tag: string, offset: number): void {
    if (keyword !== 'each' && keyword !== 'if') {
      throw this.error(offset, `unknown tag ${tag}: blocks close with {{/each}} or {{/if}}`);
    }
    const block = this.open.pop();
    if (!block) throw this.error(offset, `${tag} has no matching {{#${keyword} …}} before it`);
    if (block.node.kind !== keyword) {
      throw this.error(
        offset,
        `${tag} closes ${block.node.tag} ${this.at(block.node.offset)}: expected {{/${block.node.kind}}}`,
      );
    }
  }

  private append(node: TemplateNode): void {
    const block = this.open.at(-1);
    if (!block) this.root.push(node);
    else (block.inElse ? block.node.otherwise : block.node.body).push(node);
  }

  private insideEach(): boolean {
    return this.open.some((block) => block.node.kind === 'each');
  }

  private path(text: string, tag: string, offset: number): TemplatePath {
    const [root = '', ...segments] = text.split('.');
    if (!(ROOTS as readonly string[]).includes(root)) {
      throw this.error(
        offset,
        `${tag}: "${text}" is not a variable: paths start with trigger., profile. or offer. ` +
          '(and this or @index inside {{#each}})',
      );
    }
    const bad = segments.find((segment) => !SEGMENT.test(segment));
    if (bad !== undefined || (root === '@index' && segments.length > 0)) {
      throw this.error(
        offset,
        `${tag}: "${text}" is not a valid path (names are letters, digits and _, joined by dots)`,
      );
    }
    if ((root === 'this' || root === '@index') && !this.insideEach()) {
      throw this.error(offset, `${tag}: ${root} only means something inside {{#each …}}`);
    }
    return { root: root as PathRoot, segments, text };
  }

  private filter(text: string, tag: string, offset: number): FilterCall {
    const colon = text.indexOf(':');
    const name = (colon === -1 ? text : text.slice(0, colon)).trim();
    const arg = colon === -1 ? undefined : text.slice(colon + 1).trim();
    if (!(FILTERS as readonly string[]).includes(name)) {
      throw this.error(
        offset,
        `${tag}: unknown filter "${name}" (filters are money:currency, upper, lower, date)`,
      );
    }
    if (name !== 'money') {
      if (arg !== undefined) throw this.error(offset, `${tag}: the ${name} filter takes no argument`);
      return { name: name as FilterName };
    }
    if (!arg) {
      throw this.error(
        offset,
        `${tag}: money needs a currency, e.g. money:trigger.data.currency or money:EUR`,
      );
    }
    if (CURRENCY.test(arg)) return { name: 'money', arg: { currency: arg } };
    return { name: 'money', arg: { path: this.path(arg, tag, offset) } };
  }

  private at(offset: number): string {
    const { line, column } = lineColumn(this.source, offset);
    return `(opened at line ${line}, column ${column})`;
  }

  private error(offset: number, reason: string): TemplateSyntaxError {
    return new TemplateSyntaxError(this.source, offset, reason);
  }
}

/** Parses a template; throws TemplateSyntaxError at the first unbalanced or unknown tag. */
export function parseTemplate(source: string): TemplateAst {
  return new Parser(source).parse();
}
