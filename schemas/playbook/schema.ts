import { z } from 'zod';
import { clockTime, Duration } from '../time';
import { EVENT_TYPES, type EventType } from '../events/schema';

/*
 * A playbook definition: what CRM teams author as JSON or YAML in playbooks/. Parsed here at the
 * boundary (publishing, the CLI, the simulator); workflows receive the parsed plain data.
 *
 * Compatibility rules (docs/playbook-reference.md#compatibility shows them to authors):
 * - a new optional field with a default is safe; runs in flight keep the definition they started with;
 * - a new step type needs interpreter support first, then may appear in definitions;
 * - renaming or removing a field, or changing a value's unit or words, is a breaking change: bump
 *   `schemaVersion`, describe the old form as a type (schemaV1.ts), and upgrade it in
 *   engine/interpreter/upgradePlaybook.ts, which every reader applies: the validator before zod, the
 *   store when it reads a version back, the workflow when it reads the definition its run froze.
 *   The old form stays accepted; a message for its names in a new-form file goes in formHints.ts.
 * - schemaVersion 2 (this file) renamed holdoutPercent → holdout (a share), `data.…` key paths →
 *   `event.data.…`, and onQuietHours: drop → skip. Files without schemaVersion, or with 1, are read
 *   as the form before, and may already use the new names.
 *
 * Every field carries a description (and examples where a value has a shape to learn) in the
 * author's words: `npm run playbooks:schema` turns them into the hover texts of
 * playbooks/playbook.schema.json, and `errorMessage` is what an editor says when a value is wrong.
 */

const StepId = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'expected a step id of lowercase letters, digits and dashes')
  .meta({ examples: ['wait-1h', 'reminder'] });
const EventTypeName = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);
const ClockTime = clockTime('09:00');
const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/**
 * A path into the evaluation context: `event.…` (the event being looked at), `trigger.…` (the
 * event that entered the run), `profile.…`, `offer.…` (after a decideOffer step), and in a send
 * step's `recheck` only, `product.…` (the trigger's product as the catalog has it now) and
 * `sinceTrigger.…` (what the customer did after the trigger). Where each may appear is a rule
 * (schemas/playbook/rules/conditions.ts), so the error can say why.
 */
export const FieldPath = z
  .string()
  .regex(
    /^(event|trigger|profile|offer|product|sinceTrigger)(\.[A-Za-z0-9_]+)*$/,
    'expected a path starting with event., trigger., profile., offer., product. or sinceTrigger.',
  )
  .meta({ examples: ['event.data.total', 'trigger.data.cartId', 'profile.attributes.tier'] });

const FIELD =
  'The field to test: event.… (the event being looked at), trigger.… (the event that started the run), ' +
  'profile.…, offer.… (after a decideOffer step); in a recheck also product.… and sinceTrigger.….';

/** Compare a field with a literal, or with another field: `{ ref: "trigger.data.cartId" }`. */
const Operand = z
  .union([
    Scalar,
    z.strictObject({ ref: FieldPath.describe('Another field to compare with, e.g. trigger.data.cartId.') }),
  ])
  .describe('The value to compare with: a text, a number, true or false, or { ref: <field> }.')
  .meta({ examples: ['gold', 50, true, { ref: 'trigger.data.cartId' }] });

export const Comparison = z.strictObject({
  field: FieldPath.describe(FIELD),
  op: z
    .enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte'])
    .describe('eq equal, ne not equal, gt greater, gte greater or equal, lt less, lte less or equal.'),
  value: Operand,
});
export const Membership = z.strictObject({
  field: FieldPath.describe(FIELD),
  op: z.enum(['in', 'nin']).describe('in: the field is one of the values; nin: it is none of them.'),
  value: z
    .array(z.union([z.string(), z.number()]))
    .min(1)
    .describe('The values to look for, at least one.')
    .meta({ examples: [['gold', 'platinum']] }),
});
export const Presence = z.strictObject({
  field: FieldPath.describe(FIELD),
  op: z
    .enum(['exists', 'missing', 'empty', 'notEmpty'])
    .describe(
      'exists / missing: the field is there or not; empty / notEmpty: it holds nothing or something.',
    ),
});
/**
 * A list holds the value, or a string holds it as a substring. With `key`, a list of objects holds
 * an item whose `key` field equals the value: `{ field: event.data.items, op: contains, key: sku,
 * value: { ref: trigger.data.sku } }` is an order containing the trigger's product.
 */
export const Contains = z.strictObject({
  field: FieldPath.describe(FIELD),
  op: z.literal('contains').describe('contains: a list holds the value, or a text holds it as a part.'),
  key: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/, 'expected a field name of the list items, such as sku')
    .optional()
    .describe('For a list of objects: the field of its items to compare, e.g. sku.'),
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

export const Condition: z.ZodType<Condition> = z
  .lazy(() =>
    z.union([
      Comparison,
      Membership,
      Presence,
      Contains,
      z.strictObject({
        all: z.array(Condition).min(1).describe('Holds when every condition in the list holds.'),
      }),
      z.strictObject({
        any: z.array(Condition).min(1).describe('Holds when at least one condition in the list holds.'),
      }),
      z.strictObject({ not: z.lazy(() => Condition).describe('Holds when the condition inside does not.') }),
    ]),
  )
  .meta({
    id: 'Condition',
    description:
      'A condition: { field, op, value }, { field, op } for exists/missing/empty/notEmpty, ' +
      '{ all: [conditions] }, { any: [conditions] } or { not: condition }.',
    examples: [
      { field: 'event.data.total', op: 'gte', value: 50 },
      {
        all: [
          { field: 'profile.attributes.tier', op: 'in', value: ['gold'] },
          { field: 'profile.email', op: 'exists' },
        ],
      },
    ],
  });

const KEY_PATH_MESSAGE = 'expected a path into the event such as event.data.cartId';
/** A scalar inside an event that names a cart, an order…: read like a condition's `event.…` field. */
const EventKeyPath = z
  .string()
  .regex(/^event\.data(\.[A-Za-z0-9_]+)+$/, KEY_PATH_MESSAGE)
  .meta({
    errorMessage: `${KEY_PATH_MESSAGE} (data.cartId is the schemaVersion 1 form: add event. before it)`,
  });

/** An event of a type, optionally filtered, optionally matched to the trigger on a key path. */
const eventMatcherShape = {
  event: EventTypeName.describe('The event type, e.g. order.placed.'),
  where: Condition.optional().describe('Only events for which this condition holds count.'),
  matchTriggerOn: EventKeyPath.optional()
    .describe(
      "A path into the event that must hold the same value in the trigger, so only this run's cart, order… counts.",
    )
    .meta({ examples: ['event.data.cartId', 'event.data.orderId'] }),
};
export const EventMatcher = z.strictObject(eventMatcherShape).meta({
  description: 'An event type, an optional where condition, and matchTriggerOn to tie it to the trigger.',
  examples: [{ event: 'order.placed', matchTriggerOn: 'event.data.cartId' }],
});
export type EventMatcher = z.infer<typeof EventMatcher>;

/**
 * Whom a catalog event (no customer of its own) reaches: customers who wishlisted or viewed its SKU
 * within `lookback` before it, and customers in loyalty `tiers` (for a launch, the event's
 * `earlyAccessTiers` when `tiers` is omitted). A `season.started` reaches `cohort`: the behaviour
 * cohort the workspace calendar defines for the moment, carried by the event.
 */
export const FanOut = z
  .strictObject({
    to: z
      .array(z.enum(['wishlisted', 'viewed', 'tier', 'cohort']))
      .min(1)
      .describe(
        'Who is reached: wishlisted or viewed (the SKU within lookback), tier (loyalty tiers), ' +
          "cohort (the season's cohort).",
      )
      .meta({ examples: [['wishlisted', 'viewed']] }),
    lookback: Duration.default('90d').describe('How far back a wishlist or view still counts. Default: 90d.'),
    tiers: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe("Loyalty tiers reached by to: tier; default: a launch's earlyAccessTiers.")
      .meta({ examples: [['gold', 'platinum']] }),
  })
  .describe(
    'For catalog events: whom the event reaches. to: wishlisted, viewed (within lookback, default 90d), ' +
      'tier (tiers, or the earlyAccessTiers of a launch) and cohort (season.started).',
  );
export type FanOut = z.infer<typeof FanOut>;

const stepId = StepId.describe(
  'A name for this step, unique in the playbook; other steps go to it by this name.',
);
const stepBase = {
  id: stepId,
  next: StepId.optional().describe('The step to go to after this one; default: the next step in the list.'),
};
/** The `type` of each kind of step: what the hover over `type: wait` says. */
const stepType = <T extends string>(type: T, description: string) => z.literal(type).describe(description);

export const WaitStep = z
  .strictObject({
    ...stepBase,
    type: stepType('wait', 'wait: pause the run for a fixed time.'),
    duration: Duration.describe('How long to wait, e.g. 1h or 2d.'),
  })
  .meta({ id: 'WaitStep', description: 'Wait a fixed time, e.g. duration: 1h.' });
export const WaitUntilStep = z
  .strictObject({
    ...stepBase,
    type: stepType('waitUntil', "waitUntil: wait for the customer's next local opening window."),
    days: z
      .array(Weekday)
      .min(1)
      .default(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])
      .describe("The customer's local weekdays that open the window (mon … sun). Default: every day.")
      .meta({ examples: [['mon', 'tue', 'wed', 'thu', 'fri']] }),
    from: ClockTime.describe("Opening time, 24-hour, in the customer's time zone, e.g. 09:00."),
    to: ClockTime.describe("Closing time, 24-hour, in the customer's time zone, e.g. 18:00."),
  })
  .meta({
    id: 'WaitUntilStep',
    description: "Wait until the customer's local opening window: days, from and to (24-hour times).",
  });
/**
 * Waits until a time the trigger carries, moved by `offset`: `date: trigger.data.renewsAt` with
 * `offset: -14d` continues 14 days before the renewal. A durable timer, computed by the pure
 * interpreter (engine/interpreter/dateWait.ts). A time already past continues at once.
 */
export const WaitUntilDateStep = z
  .strictObject({
    ...stepBase,
    type: stepType('waitUntilDate', 'waitUntilDate: wait until a date the trigger carries, moved by offset.'),
    date: FieldPath.describe('Where the date is, e.g. trigger.data.renewsAt.'),
    offset: z
      .string()
      .regex(
        /^[+-]?\d+(ms|s|m|h|d|w)$/,
        'expected a duration before (-14d) or after (+2d) the date, such as -14d, -12h or +1d',
      )
      .default('0s')
      .describe('How long before (-14d) or after (+2d) the date to continue. Default: on the date.')
      .meta({
        examples: ['-14d', '+1d'],
        errorMessage: 'expected a duration before (-14d) or after (+2d) the date, such as -14d, -12h or +1d',
      }),
  })
  .meta({
    id: 'WaitUntilDateStep',
    description:
      'Wait until a time the trigger carries, moved by offset: date: trigger.data.renewsAt with offset: -14d ' +
      'continues 14 days before the renewal. A time already past continues at once.',
  });
export const WaitForEventStep = z
  .strictObject({
    id: stepId,
    type: stepType('waitForEvent', 'waitForEvent: wait for an event, up to a timeout.'),
    ...eventMatcherShape,
    timeout: Duration.describe('How long to wait for the event before going to onTimeout, e.g. 2d.'),
    onEvent: StepId.describe('The step to go to when the event comes.'),
    onTimeout: StepId.describe('The step to go to when the timeout passes without the event.'),
  })
  .meta({
    id: 'WaitForEventStep',
    description: 'Wait for an event up to a timeout; go to onEvent if it comes, onTimeout if not.',
  });
export const BranchStep = z
  .strictObject({
    id: stepId,
    type: stepType('branch', 'branch: choose the next step by conditions.'),
    cases: z
      .array(
        z.strictObject({
          when: Condition.describe('The condition of this case.'),
          next: StepId.describe('The step to go to when the condition holds.'),
        }),
      )
      .min(1)
      .describe('Checked in order: the first case whose condition holds chooses the next step.'),
    otherwise: StepId.describe('The step to go to when no case holds.'),
  })
  .meta({
    id: 'BranchStep',
    description: 'Go to the next of the first case whose condition holds, otherwise to otherwise.',
  });
export const DecideOfferStep = z
  .strictObject({
    ...stepBase,
    type: stepType('decideOffer', 'decideOffer: choose the best eligible offer for the customer.'),
    kinds: z
      .array(z.enum(['discount', 'freeShipping', 'gift', 'partner']))
      .min(1)
      .optional()
      .describe(
        'Offer kinds to consider (default: all); the decision is stored as offer for later steps and templates.',
      ),
    onNoOffer: StepId.optional().describe(
      'The step to go to when no offer is eligible; default: continue without an offer.',
    ),
    value: z
      .strictObject({
        shortTerm: z
          .number()
          .min(0, 'must be 0 or more')
          .default(1)
          .describe(
            "Weight of short-term revenue: the margin of the order it drives, or a partner's payout.",
          ),
        longTerm: z
          .number()
          .min(0, 'must be 0 or more')
          .default(1)
          .describe("Weight of long-term value: an offer's longTermValue, e.g. a loyalty sign-up."),
      })
      .optional()
      .describe("How an offer's value weighs short-term revenue against long-term value. Default: 1 and 1."),
  })
  .meta({
    id: 'DecideOfferStep',
    description: 'Choose the best eligible offer; templates then read it as offer.title, offer.code…',
  });
export const SendStep = z
  .strictObject({
    ...stepBase,
    type: stepType('send', 'send: send a message from templates by email or sms.'),
    channel: z.enum(['email', 'sms']).describe('How to send: email or sms.'),
    fallback: z
      .enum(['email', 'sms'])
      .optional()
      .describe('Used when the customer cannot be reached on channel (no address, no consent).'),
    template: z
      .string()
      .min(1)
      .describe('The name of a template under templates.')
      .meta({ examples: ['reminder'] }),
    purpose: z
      .enum(['marketing', 'transactional'])
      .default('marketing')
      .describe('marketing (default) follows consent, caps and quiet hours; transactional is for receipts.'),
    onCap: z
      .enum(['skip', 'defer'])
      .default('skip')
      .describe(
        'When a frequency cap blocks the send: skip it and go on (default), or wait until the cap frees up.',
      ),
    onQuietHours: z
      .enum(['defer', 'skip'])
      .default('defer')
      .describe('When the send falls in quiet hours: wait until they end (default), or skip it and go on.'),
    recheck: z
      .array(Condition)
      .min(1)
      .optional()
      .describe(
        'Conditions that must all still hold at the moment of sending, checked against the fresh profile, ' +
          "the product's current catalog state and what happened since the trigger. The first that fails " +
          'suppresses the send, and the run goes on.',
      )
      .meta({ examples: [[{ field: 'product.inStock', op: 'eq', value: true }]] }),
  })
  .meta({
    id: 'SendStep',
    description: 'Send a template by email or sms, with an optional fallback channel.',
  });
export const UpdateStep = z
  .strictObject({
    ...stepBase,
    type: stepType('update', "update: change the customer's profile attributes and tags."),
    set: z
      .record(z.string().regex(/^[A-Za-z0-9_]+$/), Scalar)
      .optional()
      .describe('Profile attributes to set, by name.')
      .meta({ examples: [{ winbackSent: true }] }),
    addTags: z.array(z.string().min(1)).optional().describe('Tags to add to the profile.'),
    removeTags: z.array(z.string().min(1)).optional().describe('Tags to remove from the profile.'),
  })
  .meta({ id: 'UpdateStep', description: "Change the customer's profile attributes and tags." });
export const ExitStep = z
  .strictObject({
    id: stepId,
    type: stepType('exit', 'exit: end the run.'),
    reason: z
      .string()
      .min(1)
      .optional()
      .describe('Why the run ends, recorded with it.')
      .meta({ examples: ['no-offer'] }),
  })
  .meta({ id: 'ExitStep', description: 'End the run.' });

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

const VALUES = ' {{…}} inserts values, e.g. {{profile.firstName}} or {{trigger.data.cartUrl}}.';
export const Template = z
  .strictObject({
    subject: z
      .string()
      .min(1)
      .optional()
      .describe(`The email subject.${VALUES}`)
      .meta({ examples: ['{{profile.firstName}}, your cart is waiting'] }),
    text: z.string().min(1).optional().describe(`The email's plain text.${VALUES}`),
    html: z.string().min(1).optional().describe(`The email's HTML (optional).${VALUES}`),
    sms: z
      .string()
      .min(1)
      .max(1600)
      .optional()
      .describe(`The SMS text, at most 1600 characters.${VALUES}`)
      .meta({ examples: ['Your cart is waiting: {{trigger.data.cartUrl}}'] }),
  })
  .describe('Message content: subject and text (email), html (optional), sms. {{…}} inserts values.');
export type Template = z.infer<typeof Template>;

export const Playbook = z.strictObject({
  $schema: z
    .string()
    .optional()
    .describe('The JSON Schema editors check this file with: ./playbook.schema.json.'),
  schemaVersion: z
    .literal(2, 'expected 2 (this form) or 1 (the form before it, still read)')
    .default(2)
    .describe(
      'The form this file is written in: 2, the current one. A file without it, or with 1, is read in the ' +
        'form before 2 and upgraded (see docs/playbook-reference.md#compatibility).',
    ),
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lowercase letters, digits and dashes')
    .describe("The playbook's id, unique in the workspace: lowercase letters, digits and dashes.")
    .meta({ examples: ['cart-abandonment'] }),
  name: z.string().min(1).describe('A name people read in reports and in the operator UI.'),
  version: z
    .number()
    .int()
    .positive()
    .describe(
      "The playbook's version, a whole number from 1 (v1, v2…): raise it when you change a published playbook. " +
        'Not schemaVersion (the form of the file) nor the content hash publishing records.',
    )
    .meta({ examples: [1, 2] }),
  description: z.string().optional().describe('What the playbook is for, in a sentence or two.'),
  priority: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(100)
    .describe(
      'From 0 to 1000, default 100: when several playbooks want the same customer at once, the higher wins.',
    )
    .meta({ examples: [100, 300] }),
  tags: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lowercase letters, digits and dashes'))
    .optional()
    .describe('Labels the contact policy can cap together (caps: [{ tag: promotional, … }]).')
    .meta({ examples: [['promotional']] }),
  expectedValue: z
    .number()
    .min(0)
    .optional()
    .describe(
      'What one send of this playbook is worth on average (workspace currency): breaks priority ties.',
    ),
  trigger: EventMatcher.omit({ matchTriggerOn: true })
    .extend({ fanOut: FanOut.optional() })
    .describe('The event that starts a run for a customer, with an optional where condition.')
    .meta({
      examples: [{ event: 'cart.updated', where: { field: 'event.data.total', op: 'gt', value: 0 } }],
    }),
  audience: Condition.optional().describe(
    "Who may enter: a condition on the customer's profile, checked when the trigger comes.",
  ),
  entry: z
    .strictObject({
      reentry: z
        .enum(['never', 'afterExit', 'cooldown'])
        .default('afterExit')
        .describe(
          'Whether a customer may enter again: never, afterExit (default), or cooldown after the last entry.',
        ),
      cooldown: Duration.optional().describe(
        'With reentry: cooldown, how long after an entry the next may start.',
      ),
      key: EventKeyPath.optional()
        .describe(
          'A path into the trigger event: one live run per customer per value of it instead of one per customer.',
        )
        .meta({ examples: ['event.data.cartId', 'event.data.orderId'] }),
      onRepeat: z
        .enum(['ignore', 'refresh', 'restartWait'])
        .default('refresh')
        .describe(
          'What a repeated trigger does to a live run: ignore, refresh its data (default), or restartWait.',
        ),
    })
    .default({ reentry: 'afterExit', onRepeat: 'refresh' })
    .describe('Who may enter again, and what a repeated trigger does to a live run.'),
  exit: z
    .strictObject({
      goals: z
        .array(EventMatcher)
        .min(1)
        .describe('Events that end a live run: the customer did what the playbook was for.')
        .meta({ examples: [[{ event: 'order.placed' }]] }),
    })
    .optional()
    .describe('When a run ends early.'),
  maxDuration: Duration.describe('The longest a run may last; it ends then wherever it is, e.g. 14d.'),
  holdout: z
    .number()
    .min(0, 'must be 0 or more')
    .max(1, 'must be at most 1 (a share: 0.1 holds back one in ten)')
    .describe(
      'The share of entering customers held back (sent nothing) to measure lift, from 0 to 1: 0.1 is one in ten.',
    )
    .meta({ examples: [0.1] }),
  success: z
    .strictObject({
      metric: EventMatcher.describe('The event that counts as success, e.g. { event: order.placed }.'),
      window: Duration.describe('How long after entry the success event still counts, e.g. 7d.'),
    })
    .describe('What counts as success in reports: an event within a window after entry.'),
  templates: z
    .record(z.string().regex(/^[a-z][a-z0-9-]*$/), Template)
    .default({})
    .describe('Message contents by name; a send step names one in template.')
    .meta({
      examples: [
        {
          reminder: {
            subject: 'Still thinking, {{profile.firstName}}?',
            text: 'Your cart: {{trigger.data.cartUrl}}',
          },
        },
      ],
    }),
  steps: z
    .array(Step)
    .min(1)
    .describe('What the run does, from the first step; each step goes on to next or to the step after it.'),
});
export type Playbook = z.infer<typeof Playbook>;
export type PlaybookInput = z.input<typeof Playbook>;
