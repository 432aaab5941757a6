import { z } from 'zod';
import { DURATION_PATTERN } from '../engine/duration';
import { EVENT_TYPES, type EventType } from '../events/schema';

/*
 * A playbook definition: what CRM teams author as JSON or YAML in playbooks/. Parsed here at the
 * boundary (publishing, the CLI, the simulator); workflows receive the parsed plain data.
 *
 * Compatibility rules:
 * - a new optional field with a default is safe; runs in flight keep the definition they started with;
 * - a new step type needs interpreter support first, then may appear in definitions;
 * - renaming or removing a field is a breaking change: bump `schemaVersion` and migrate on load.
 */

const Duration = z.string().regex(DURATION_PATTERN, 'expected a duration such as 90s, 15m, 1h, 2d or 1w');
const StepId = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'expected a step id of lowercase letters, digits and dashes');
const EventTypeName = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time such as 09:00');
const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/**
 * A path into the evaluation context: `event.…` (the event being looked at), `trigger.…` (the
 * event that entered the run), `profile.…`, `offer.…` (after a decideOffer step), and in a send
 * step's `recheck` only, `product.…` (the trigger's product as the catalog has it now) and
 * `sinceTrigger.…` (what the customer did after the trigger). Where each may appear is a rule
 * (playbooks/rules/conditions.ts), so the error can say why.
 */
export const FieldPath = z
  .string()
  .regex(
    /^(event|trigger|profile|offer|product|sinceTrigger)(\.[A-Za-z0-9_]+)*$/,
    'expected a path starting with event., trigger., profile., offer., product. or sinceTrigger.',
  );

/** Compare a field with a literal, or with another field: `{ ref: "trigger.data.cartId" }`. */
const Operand = z.union([Scalar, z.strictObject({ ref: FieldPath })]);

export const Comparison = z.strictObject({
  field: FieldPath,
  op: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte']),
  value: Operand,
});
export const Membership = z.strictObject({
  field: FieldPath,
  op: z.enum(['in', 'nin']),
  value: z.array(z.union([z.string(), z.number()])).min(1),
});
export const Presence = z.strictObject({
  field: FieldPath,
  op: z.enum(['exists', 'missing', 'empty', 'notEmpty']),
});
/**
 * A list holds the value, or a string holds it as a substring. With `key`, a list of objects holds
 * an item whose `key` field equals the value: `{ field: event.data.items, op: contains, key: sku,
 * value: { ref: trigger.data.sku } }` is an order containing the trigger's product.
 */
export const Contains = z.strictObject({
  field: FieldPath,
  op: z.literal('contains'),
  key: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/, 'expected a field name of the list items, such as sku')
    .optional(),
  value: Operand,
});

export type Condition =
  | z.infer<typeof Comparison>
  | z.infer<typeof Membership>
  | z.infer<typeof Presence>
  | z.infer<typeof Contains>
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    Comparison,
    Membership,
    Presence,
    Contains,
    z.strictObject({ all: z.array(Condition).min(1) }),
    z.strictObject({ any: z.array(Condition).min(1) }),
    z.strictObject({ not: Condition }),
  ]),
);

/** An event of a type, optionally filtered, optionally matched to the trigger on a key path. */
export const EventMatcher = z.strictObject({
  event: EventTypeName,
  where: Condition.optional(),
  /** A path inside both events (e.g. `data.cartId`) whose values must be equal. */
  matchTriggerOn: z
    .string()
    .regex(/^data(\.[A-Za-z0-9_]+)+$/, 'expected a path such as data.cartId')
    .optional(),
});
export type EventMatcher = z.infer<typeof EventMatcher>;

/**
 * Whom a catalog event (no customer of its own) reaches: customers who wishlisted or viewed its SKU
 * within `lookback` before it, and customers in loyalty `tiers` (for a launch, the event's
 * `earlyAccessTiers` when `tiers` is omitted). A `season.started` reaches `cohort`: the behaviour
 * cohort the workspace calendar defines for the moment, carried by the event.
 */
export const FanOut = z.strictObject({
  to: z.array(z.enum(['wishlisted', 'viewed', 'tier', 'cohort'])).min(1),
  lookback: Duration.default('90d'),
  tiers: z.array(z.string().min(1)).min(1).optional(),
});
export type FanOut = z.infer<typeof FanOut>;

const stepBase = { id: StepId, next: StepId.optional() };

export const WaitStep = z.strictObject({ ...stepBase, type: z.literal('wait'), duration: Duration });
export const WaitUntilStep = z.strictObject({
  ...stepBase,
  type: z.literal('waitUntil'),
  /** Local days and time of day in the customer's timezone: the run continues at the next opening. */
  days: z.array(Weekday).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
  from: ClockTime,
  to: ClockTime,
});
/**
 * Waits until a time the trigger carries, moved by `offset`: `date: trigger.data.renewsAt` with
 * `offset: -14d` continues 14 days before the renewal. A durable timer, computed by the pure
 * interpreter (engine/interpreter/dateWait.ts). A time already past continues at once.
 */
export const WaitUntilDateStep = z.strictObject({
  ...stepBase,
  type: z.literal('waitUntilDate'),
  date: FieldPath,
  offset: z
    .string()
    .regex(
      /^[+-]?\d+(ms|s|m|h|d|w)$/,
      'expected a duration before (-14d) or after (+2d) the date, such as -14d, -12h or +1d',
    )
    .default('0s'),
});
export const WaitForEventStep = z.strictObject({
  id: StepId,
  type: z.literal('waitForEvent'),
  ...EventMatcher.shape,
  timeout: Duration,
  onEvent: StepId,
  onTimeout: StepId,
});
export const BranchStep = z.strictObject({
  id: StepId,
  type: z.literal('branch'),
  cases: z.array(z.strictObject({ when: Condition, next: StepId })).min(1),
  otherwise: StepId,
});
export const DecideOfferStep = z.strictObject({
  ...stepBase,
  type: z.literal('decideOffer'),
  /** Offer kinds to consider; the decision is stored as `offer` for later steps and templates. */
  kinds: z
    .array(z.enum(['discount', 'freeShipping', 'gift', 'partner']))
    .min(1)
    .optional(),
  /** Step to go to when no offer is eligible; default: continue without an offer. */
  onNoOffer: StepId.optional(),
  /**
   * How an offer's value weighs short-term revenue (the margin of the order it drives, or a
   * partner's payout) against long-term value (an offer's `longTermValue`, e.g. a loyalty
   * sign-up). Default: 1 and 1.
   */
  value: z
    .strictObject({
      shortTerm: z.number().min(0, 'must be 0 or more').default(1),
      longTerm: z.number().min(0, 'must be 0 or more').default(1),
    })
    .optional(),
});
export const SendStep = z.strictObject({
  ...stepBase,
  type: z.literal('send'),
  channel: z.enum(['email', 'sms']),
  /** Used when the customer cannot be reached on `channel` (no address, no consent). */
  fallback: z.enum(['email', 'sms']).optional(),
  template: z.string().min(1),
  purpose: z.enum(['marketing', 'transactional']).default('marketing'),
  /** When a frequency cap blocks the send: skip it and go on (default), or wait until the cap frees up. */
  onCap: z.enum(['skip', 'defer']).default('skip'),
  /** When the send falls in quiet hours: wait until they end (default), or drop it and go on. */
  onQuietHours: z.enum(['defer', 'drop']).default('defer'),
  /**
   * Conditions that must all still hold at the moment of sending, checked on every attempt against
   * the fresh profile, the product's current catalog state and what happened since the trigger. The
   * first that fails suppresses the send as `stale:<the fields it reads>`, and the run goes on.
   */
  recheck: z.array(Condition).min(1).optional(),
});
export const UpdateStep = z.strictObject({
  ...stepBase,
  type: z.literal('update'),
  set: z.record(z.string().regex(/^[A-Za-z0-9_]+$/), Scalar).optional(),
  addTags: z.array(z.string().min(1)).optional(),
  removeTags: z.array(z.string().min(1)).optional(),
});
export const ExitStep = z.strictObject({
  id: StepId,
  type: z.literal('exit'),
  reason: z.string().min(1).optional(),
});

export const Step = z.discriminatedUnion('type', [
  WaitStep,
  WaitUntilStep,
  WaitUntilDateStep,
  WaitForEventStep,
  BranchStep,
  DecideOfferStep,
  SendStep,
  UpdateStep,
  ExitStep,
]);
export type Step = z.infer<typeof Step>;
export type StepType = Step['type'];

export const Template = z.strictObject({
  subject: z.string().min(1).optional(),
  text: z.string().min(1).optional(),
  html: z.string().min(1).optional(),
  sms: z.string().min(1).max(1600).optional(),
});
export type Template = z.infer<typeof Template>;

export const Playbook = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1).default(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lowercase letters, digits and dashes'),
  name: z.string().min(1),
  /** The author's label; publishing also records a content hash. */
  version: z.number().int().positive(),
  description: z.string().optional(),
  /** Higher wins when several playbooks want the same customer at once. */
  priority: z.number().int().min(0).max(1000).default(100),
  /** Labels the contact policy can cap together (`caps: [{ tag: promotional, … }]`), e.g. promotional. */
  tags: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lowercase letters, digits and dashes'))
    .optional(),
  /** What one send of this playbook is worth on average (workspace currency): breaks priority ties. */
  expectedValue: z.number().min(0).optional(),
  trigger: EventMatcher.omit({ matchTriggerOn: true }).extend({ fanOut: FanOut.optional() }),
  audience: Condition.optional(),
  entry: z
    .strictObject({
      reentry: z.enum(['never', 'afterExit', 'cooldown']).default('afterExit'),
      cooldown: Duration.optional(),
      /** A trigger path (e.g. `data.cartId`): one live run per customer per value instead of one. */
      key: z
        .string()
        .regex(/^data(\.[A-Za-z0-9_]+)+$/, 'expected a path such as data.cartId')
        .optional(),
      /** What a repeated trigger does to a live run: nothing, refresh its data, or also restart a wait. */
      onRepeat: z.enum(['ignore', 'refresh', 'restartWait']).default('refresh'),
    })
    .default({ reentry: 'afterExit', onRepeat: 'refresh' }),
  exit: z.strictObject({ goals: z.array(EventMatcher).min(1) }).optional(),
  maxDuration: Duration,
  holdoutPercent: z.number().min(0).max(100),
  success: z.strictObject({ metric: EventMatcher, window: Duration }),
  templates: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), Template).default({}),
  steps: z.array(Step).min(1),
});
export type Playbook = z.infer<typeof Playbook>;
export type PlaybookInput = z.input<typeof Playbook>;
