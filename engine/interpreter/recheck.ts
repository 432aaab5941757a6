import type { Condition, Step } from '../../schemas/playbook/schema';
import type { Product } from '../catalog/product';
import { orderedSince } from '../profile/profileProjection';
import { evaluate, valueAt, type EvalContext } from './context';
import type { RunState } from './types';

/*
 * A send step's `recheck`: what must still be true at the moment of sending (still in stock, price
 * still dropped, cart still not bought). Evaluated on each attempt, after the profile is re-read
 * and before anything else is decided, so a message that went stale while the run waited (or
 * while quiet hours or a cap held it back) is suppressed instead of sent.
 */

type SendStep = Extract<Step, { type: 'send' }>;

/** The paths a condition reads: its fields and, with `refs`, the fields it compares them with. */
function pathsOf(condition: Condition, refs: boolean): string[] {
  if ('all' in condition) return condition.all.flatMap((c) => pathsOf(c, refs));
  if ('any' in condition) return condition.any.flatMap((c) => pathsOf(c, refs));
  if ('not' in condition) return pathsOf(condition.not, refs);
  const ref =
    refs && 'value' in condition && typeof condition.value === 'object' && !Array.isArray(condition.value)
      ? [condition.value.ref]
      : [];
  return [condition.field, ...ref];
}

/** The product a recheck's `product.…` means: the trigger's `data.sku`. */
function triggerSku(state: RunState): string | undefined {
  const sku = valueAt(state.trigger, 'data.sku');
  return typeof sku === 'string' ? sku : undefined;
}

/** The SKUs whose catalog state the step's recheck reads; empty when it reads none (no effect is issued). */
export function recheckSkus(step: SendStep, state: RunState): string[] {
  const readsProduct = (step.recheck ?? []).some((c) =>
    pathsOf(c, true).some((p) => p.startsWith('product.')),
  );
  const sku = readsProduct ? triggerSku(state) : undefined;
  return sku === undefined ? [] : [sku];
}

/**
 * Why the send is stale, as `stale:<the fields of the first condition that no longer holds>` (not
 * what they are compared with: `stale:product.price`), or
 * undefined when every condition holds (or the step has none). A product the catalog does not know
 * reads as missing: `product.inStock eq true` fails for it, `ne false` holds.
 */
export function staleReason(
  step: SendStep,
  state: RunState,
  products: readonly Product[],
): string | undefined {
  if (step.recheck === undefined) return undefined;
  const sku = triggerSku(state);
  const product = products.find((p) => p.sku === sku);
  const context: EvalContext = {
    event: state.trigger,
    trigger: state.trigger,
    ...(state.profile !== undefined && { profile: state.profile }),
    ...(state.offer !== undefined && { offer: state.offer }),
    ...(product !== undefined && { product }),
    sinceTrigger: { ordered: orderedSince(state.profile, state.trigger.occurredAt) },
  };
  const failed = step.recheck.find((condition) => !evaluate(condition, context));
  return failed === undefined ? undefined : `stale:${[...new Set(pathsOf(failed, false))].join('+')}`;
}
