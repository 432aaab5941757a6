import { EVENT_TYPES, type EventType } from '../events/schema';
import { OFFER_FIELDS } from '../../engine/offers/offer';
import { PRODUCT_FIELDS } from '../../engine/catalog/product';
import { PROFILE_FIELDS } from '../../engine/profile/profile';
import { lookupEventField } from './eventFields';
import { closest } from './suggest';

/*
 * Whether a root-anchored path a template or condition reads (`trigger.data.items[].name`,
 * `profile.firstName`, `offer.code`, `event.data.orderId`) can ever hold a value in this playbook.
 */

export interface VariableScope {
  triggerType: EventType;
  hasDecideOffer: boolean;
  /** The event a matcher's `where` looks at, when `event.` means one. */
  eventType?: EventType;
  /** Templates get a hint about {{#each}} when they read into a list. */
  inTemplate?: boolean;
  /** In a send step's recheck, where `product.` and `sinceTrigger.` are looked up at send time. */
  atSendTime?: boolean;
}

/** What `sinceTrigger.` offers: whether the customer ordered after the trigger (any channel). */
const SINCE_TRIGGER_FIELDS = ['ordered'] as const;

const SEND_TIME_ONLY =
  ", which only a send step's recheck can read (it is looked up at the moment of sending)";

/** Parts of a path, list positions (`items.0`, `items[]`) both as '[]'. */
export function pathParts(path: string): string[] {
  return path
    .replace(/\[\]/g, '.[]')
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? '[]' : part));
}

function joinParts(parts: readonly string[]): string {
  return parts.reduce((out, part) => (part === '[]' ? `${out}[]` : out === '' ? part : `${out}.${part}`), '');
}

/** The tail of a sentence about `root.parts…` in an event of `type`; undefined when the field exists. */
export function eventFieldProblem(
  type: EventType,
  parts: readonly string[],
  options: { root?: string; wantList?: boolean; inTemplate?: boolean } = {},
): string | undefined {
  const lookup = lookupEventField(type, parts);
  if (lookup.found) {
    return options.wantList && lookup.kind !== 'list' ? `, which is not a list in ${type} events` : undefined;
  }
  const prefix = joinParts([...(options.root ? [options.root] : []), ...lookup.existing]);
  if (lookup.stoppedAt === 'list') {
    const how = options.inTemplate ? `loop over it with {{#each ${prefix}}}` : `its items are ${prefix}[]`;
    return `, which ${type} events do not have: ${prefix} is a list, ${how}`;
  }
  const missing = parts[lookup.existing.length] ?? '';
  const suggestion = closest(missing, lookup.siblings);
  const hint = suggestion
    ? ` (did you mean ${joinParts([prefix, suggestion].filter((p) => p !== ''))}?)`
    : '';
  return `, which ${type} events do not have${hint}`;
}

function profileProblem(rest: string[]): string | undefined {
  const [field = '', ...deeper] = rest;
  if (!(PROFILE_FIELDS as readonly string[]).includes(field)) {
    const suggestion = closest(field, PROFILE_FIELDS);
    const hint = suggestion
      ? ` (did you mean profile.${suggestion}?)`
      : ` (profile fields: ${PROFILE_FIELDS.join(', ')}; custom ones go under profile.attributes.)`;
    return `, which is not a profile field${hint}`;
  }
  if (deeper.length === 0 || field === 'attributes' || field === 'consents') return undefined;
  if (field === 'tags' && deeper.length === 1 && deeper[0] === '[]') return undefined;
  return `, which is not a profile field: profile.${field} has no fields inside`;
}

function offerProblem(rest: string[], scope: VariableScope): string | undefined {
  const [field = '', ...deeper] = rest;
  if (!(OFFER_FIELDS as readonly string[]).includes(field) || deeper.length > 0) {
    const suggestion = deeper.length === 0 ? closest(field, OFFER_FIELDS) : undefined;
    const hint = suggestion
      ? `did you mean offer.${suggestion}?`
      : `offer fields: ${OFFER_FIELDS.join(', ')}`;
    return `, which is not an offer field (${hint})`;
  }
  if (!scope.hasDecideOffer) return ', but the playbook has no decideOffer step, so there is never an offer';
  return undefined;
}

function fieldProblem(root: string, fields: readonly string[], rest: string[]): string | undefined {
  const [field = '', ...deeper] = rest;
  if (fields.includes(field) && deeper.length === 0) return undefined;
  const suggestion = deeper.length === 0 ? closest(field, fields) : undefined;
  const hint = suggestion ? `did you mean ${root}.${suggestion}?` : `${root} fields: ${fields.join(', ')}`;
  return `, which is not a ${root} field (${hint})`;
}

/** Event types whose data names one product (`data.sku`): the ones `product.` can follow. */
const PRODUCT_TRIGGERS = EVENT_TYPES.filter((type) => lookupEventField(type, ['data', 'sku']).found);

function productProblem(rest: string[], scope: VariableScope): string | undefined {
  if (!PRODUCT_TRIGGERS.includes(scope.triggerType)) {
    return (
      `, but ${scope.triggerType} events name no product: product. is the catalog state of the ` +
      `trigger's data.sku (triggers with one: ${PRODUCT_TRIGGERS.join(', ')})`
    );
  }
  return fieldProblem('product', PRODUCT_FIELDS, rest);
}

/**
 * Why a path cannot be read, as the end of a sentence that starts with the path (", which
 * cart.updated events do not have"), or undefined when it is fine. `wantList` for `#each`.
 */
export function variableProblem(path: string, scope: VariableScope, wantList = false): string | undefined {
  const [root = '', ...rest] = pathParts(path);
  switch (root) {
    case 'trigger':
      return eventFieldProblem(scope.triggerType, rest, { root, wantList, inTemplate: scope.inTemplate });
    case 'event':
      return scope.eventType
        ? eventFieldProblem(scope.eventType, rest, { root, wantList, inTemplate: scope.inTemplate })
        : undefined;
    case 'profile':
      return profileProblem(rest);
    case 'offer':
      return offerProblem(rest, scope);
    case 'product':
      return scope.atSendTime ? productProblem(rest, scope) : SEND_TIME_ONLY;
    case 'sinceTrigger':
      return scope.atSendTime ? fieldProblem('sinceTrigger', SINCE_TRIGGER_FIELDS, rest) : SEND_TIME_ONLY;
    default:
      return ', which is not a variable (paths start with trigger., profile. or offer.)';
  }
}
