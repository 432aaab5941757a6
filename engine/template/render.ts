import type { JourneyEvent } from '../../schemas/events/schema';
import type { OfferDecision } from '../offers/offer';
import type { Profile } from '../profile/profile';
import { renamedTo } from '../events/renamedFields';
import { escapeHtml } from '../render/escape';
import { isHttpUrl, schemeChoosingTags } from '../render/urlAttributes';
import type { TemplateAst, TemplateNode, TemplatePath, ValueNode } from './ast';
import { date, money, stringify } from './filters';
import { parseTemplate } from './parse';

/** What a template can read. Each part is optional: a missing part renders as empty values. */
export interface TemplateContext {
  trigger?: JourneyEvent;
  profile?: Profile;
  offer?: OfferDecision | null;
}

export interface RenderOptions {
  /** `html` escapes every inserted value (&<>"'); subject, text and sms use `none`. */
  escape: 'html' | 'none';
}

/** How one render inserts values: for html, also the tags that choose a link's scheme. */
interface Insertion {
  escape: 'html' | 'none';
  linkTags: ReadonlySet<number>;
}

/** One `#each` level: the current item and its 0-based position. */
interface Frame {
  item: unknown;
  index: number;
}

function child(value: unknown, segment: string): unknown {
  if (Array.isArray(value)) return /^\d+$/.test(segment) ? (value[Number(segment)] as unknown) : undefined;
  // Own properties only: `{{trigger.constructor}}` must not reach into the prototype.
  if (typeof value !== 'object' || value === null) return undefined;
  const own = (name: string) => Object.prototype.hasOwnProperty.call(value, name);
  if (own(segment)) return (value as Record<string, unknown>)[segment];
  // An event field's old name (`this.unitPrice` in a template from before issue 15) reads the new one.
  const now = renamedTo(segment);
  return now !== undefined && own(now) ? (value as Record<string, unknown>)[now] : undefined;
}

function resolve(path: TemplatePath, context: TemplateContext, frames: readonly Frame[]): unknown {
  const frame = frames.at(-1);
  let value: unknown;
  switch (path.root) {
    case '@index':
      return frame?.index;
    case 'this':
      value = frame?.item;
      break;
    default:
      value = context[path.root];
  }
  for (const segment of path.segments) value = child(value, segment);
  return value;
}

function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

function renderValue(node: ValueNode, context: TemplateContext, frames: readonly Frame[]): string {
  let value = resolve(node.path, context, frames);
  for (const filter of node.filters) {
    switch (filter.name) {
      case 'money': {
        const arg = filter.arg;
        const currency = arg && 'path' in arg ? resolve(arg.path, context, frames) : arg?.currency;
        value = money(value, currency);
        break;
      }
      case 'upper':
        value = stringify(value).toUpperCase();
        break;
      case 'lower':
        value = stringify(value).toLowerCase();
        break;
      case 'date':
        value = date(value);
        break;
    }
  }
  return stringify(value);
}

function renderNodes(
  nodes: readonly TemplateNode[],
  context: TemplateContext,
  frames: readonly Frame[],
  options: Insertion,
): string {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'value': {
        const text = renderValue(node, context, frames);
        if (options.escape === 'none') out += text;
        // A value that would choose a link's scheme is left out unless it is http(s): a blank
        // link, like any bad value, rather than a `javascript:` one.
        else if (!options.linkTags.has(node.offset) || isHttpUrl(text)) out += escapeHtml(text);
        break;
      }
      case 'if':
        out += renderNodes(
          truthy(resolve(node.path, context, frames)) ? node.body : node.otherwise,
          context,
          frames,
          options,
        );
        break;
      case 'each': {
        const list = resolve(node.path, context, frames);
        if (!Array.isArray(list) || list.length === 0) {
          out += renderNodes(node.otherwise, context, frames, options);
          break;
        }
        list.forEach((item: unknown, index) => {
          out += renderNodes(node.body, context, [...frames, { item, index }], options);
        });
        break;
      }
    }
  }
  return out;
}

/**
 * Renders a template. Missing values render as empty text and bad values never throw; only an
 * unparsable source (when given as text) throws TemplateSyntaxError.
 */
export function renderTemplate(
  template: TemplateAst | string,
  context: TemplateContext,
  options: RenderOptions,
): string {
  const ast = typeof template === 'string' ? parseTemplate(template) : template;
  const linkTags = options.escape === 'html' ? schemeChoosingTags(ast.source) : new Set<number>();
  return renderNodes(ast.nodes, context, [], { escape: options.escape, linkTags });
}
