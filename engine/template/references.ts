import type { TemplateAst, TemplateNode, TemplatePath } from './ast';

/** One variable a template reads, for the validator. */
export interface TemplateReference {
  /** Root-anchored, lists as `[]`: `this.name` inside `#each trigger.data.items` is `trigger.data.items[].name`. */
  path: string;
  /** The tag that reads it, as written. */
  tag: string;
  offset: number;
  /** `each` paths must be lists; the others may be anything. */
  usage: 'value' | 'each' | 'if' | 'currency';
}

/** A resolved path as parts: names and `[]` for "an item of this list". */
type Parts = readonly string[];

function format(parts: Parts): string {
  return parts.reduce((out, part) => (part === '[]' ? `${out}[]` : out === '' ? part : `${out}.${part}`), '');
}

/** `this` and `@index` resolve against the innermost `#each`; a list position reads any item. */
function anchor(path: TemplatePath, eachLists: readonly Parts[]): Parts | undefined {
  const segments = path.segments.map((segment) => (/^\d+$/.test(segment) ? '[]' : segment));
  if (path.root === '@index') return undefined;
  if (path.root !== 'this') return [path.root, ...segments];
  const list = eachLists.at(-1);
  return list && [...list, '[]', ...segments];
}

function collect(
  nodes: readonly TemplateNode[],
  eachLists: readonly Parts[],
  out: TemplateReference[],
): void {
  const add = (
    path: TemplatePath,
    node: { tag: string; offset: number },
    usage: TemplateReference['usage'],
  ) => {
    const parts = anchor(path, eachLists);
    if (parts) out.push({ path: format(parts), tag: node.tag, offset: node.offset, usage });
    return parts;
  };
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        break;
      case 'value':
        add(node.path, node, 'value');
        for (const filter of node.filters) {
          if (filter.arg && 'path' in filter.arg) add(filter.arg.path, node, 'currency');
        }
        break;
      case 'if':
        add(node.path, node, 'if');
        collect(node.body, eachLists, out);
        collect(node.otherwise, eachLists, out);
        break;
      case 'each': {
        const list = add(node.path, node, 'each');
        collect(node.body, list ? [...eachLists, list] : eachLists, out);
        collect(node.otherwise, eachLists, out);
        break;
      }
    }
  }
}

/** Every variable read, in order, with the tag reading it (repeats included). */
export function templateReferences(ast: TemplateAst): TemplateReference[] {
  const out: TemplateReference[] = [];
  collect(ast.nodes, [], out);
  return out;
}

/** The distinct root-anchored paths a template reads, e.g. `trigger.data.items[].name`. */
export function referencedPaths(ast: TemplateAst): string[] {
  return [...new Set(templateReferences(ast).map((reference) => reference.path))];
}
