import { z } from 'zod';
import { Cohort } from './cohort';
import { HttpUrl } from './httpUrl';

/*
 * The event envelope services publish: { eventId, type, customerId, occurredAt, data }.
 * `customerId` is required for customer events and absent for catalog events, which fan out to
 * the customers they concern.
 *
 * Compatibility rules for changing these schemas:
 * - adding an optional field to a `data` schema is safe;
 * - adding a required field, removing a field or narrowing a type breaks producers, who deploy
 *   independently of us: add a new event type (e.g. `cart.updated.v2`) instead;
 * - objects are strict: an unknown field is rejected, so a producer's typo never silently drops data;
 * - renaming a field keeps the old name accepted: engine/events/renamedFields.ts lists it and
 *   engine/events/normalise.ts rewrites the old form into the new at every door, so events already
 *   stored, in flight or still sent by an old producer keep working; a retired name is never
 *   reused for something else, which is what lets the old form be recognised without a version;
 * - names: `price` is what one unit costs, `…At` an ISO instant, `channel` the message channel
 *   (email | sms), a window an admin writes is a duration such as `365d`, and a day count the
 *   engine measures is a number in a field ending `Days` (fractional, compared in conditions).
 */

const Currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as "EUR"');
const Money = z.number().nonnegative();
const Sku = z.string().min(1);
const Id = z.string().min(1).max(200);
const Timestamp = z.iso.datetime({ offset: true });
const Channel = z.enum(['email', 'sms']);
const Purpose = z.enum(['transactional', 'marketing', 'personalization']);

/**
 * One line of a cart, a checkout or an order: the same fields under the same names in all three.
 * `price` is what one unit costs, as in every other event (the line is worth price × quantity).
 * What each event requires is what its readers need (see CartItem and OrderItem).
 */
export const LineItem = z.strictObject({
  sku: Sku,
  name: z.string().min(1).optional(),
  category: z.string().min(1).optional(),
  quantity: z.number().int().positive(),
  price: Money.describe('What one unit costs (was unitPrice in cart and checkout items).'),
  imageUrl: HttpUrl.optional(),
  cost: Money.optional().describe(
    "What one unit cost the shop; absent, the workspace's cost ratio for the category is used.",
  ),
});
export type LineItem = z.infer<typeof LineItem>;

/**
 * A cart or checkout line. `name` is required: the abandonment messages list the items by name,
 * and a cart has no other place to take it from (the catalog holds only stock and price).
 */
export const CartItem = LineItem.extend({ name: z.string().min(1) });
export type CartItem = z.infer<typeof CartItem>;

/**
 * An order line. `category` is required: what an order is worth to the shop (the cost ratio by
 * category), the reorder interval of a product without history (engine/triggers/cadence.ts) and
 * the seasonal cohorts (`ordered: { categories }`) all read it.
 */
export const OrderItem = LineItem.extend({ category: z.string().min(1) });
export type OrderItem = z.infer<typeof OrderItem>;

/** A returned line: which product, how many. */
export const ReturnedItem = LineItem.pick({ sku: true, quantity: true });

/** A product suggested next to another one (complete the look). */
export const LookItem = z.strictObject({
  sku: Sku,
  name: z.string().min(1),
  price: Money.optional(),
  url: HttpUrl.optional(),
});
export type LookItem = z.infer<typeof LookItem>;

/** Per channel, per purpose: true is an explicit opt-in, false an opt-out. */
export const Consents = z.partialRecord(Channel, z.partialRecord(Purpose, z.boolean()));
export type Consents = z.infer<typeof Consents>;

export const CustomerData = z.strictObject({
  email: z.email().optional(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{1,14}$/, 'expected an E.164 phone number such as +46701234567')
    .optional(),
  firstName: z.string().min(1).optional(),
  lastName: z.string().min(1).optional(),
  timezone: z.string().min(1).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'expected an ISO 3166 country code such as "SE"')
    .optional(),
  loyaltyTier: z.string().min(1).optional(),
  consents: Consents.optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

/** The data schema of every event type, by type. The envelope is added around each below. */
export const customerEventData = {
  'customer.upserted': CustomerData,
  'product.viewed': z.strictObject({
    sku: Sku,
    name: z.string().min(1).optional().describe('For a message about what was viewed (browse abandonment).'),
    url: HttpUrl.optional(),
    category: z.string().min(1).optional(),
    price: Money.optional(),
    currency: Currency.optional(),
  }),
  'cart.updated': z.strictObject({
    cartId: Id,
    currency: Currency,
    items: z.array(CartItem).max(200),
    cartUrl: HttpUrl.optional(),
  }),
  'checkout.started': z.strictObject({
    checkoutId: Id,
    cartId: Id.optional(),
    currency: Currency,
    total: Money,
    items: z.array(CartItem).max(200).optional(),
    checkoutUrl: HttpUrl.optional(),
  }),
  'order.placed': z.strictObject({
    orderId: Id,
    items: z.array(OrderItem).min(1).max(500),
    total: Money,
    currency: Currency,
    salesChannel: z
      .enum(['online', 'store'])
      .describe('Where the order was placed (was channel, which elsewhere means email or sms).'),
    storeId: Id.optional(),
    cartId: Id.optional(),
    offerIds: z
      .array(Id)
      .max(20)
      .optional()
      .describe(
        "Offers redeemed on this order (the catalog's offerId), for redemption caps and discount cost.",
      ),
    discount: Money.optional().describe(
      'The discount the order got, in total: its cost to the shop, for margin after discount.',
    ),
  }),
  'order.delivered': z.strictObject({
    orderId: Id,
    categories: z
      .array(z.string().min(1))
      .max(50)
      .optional()
      .describe("The categories of the order's items, for messages about what was bought (care tips)."),
  }),
  'order.returned': z.strictObject({
    orderId: Id,
    items: z.array(ReturnedItem).optional(),
    reason: z.string().min(1).optional(),
  }),
  'wishlist.added': z.strictObject({
    sku: Sku,
    category: z.string().min(1).optional(),
    price: Money.optional(),
    currency: Currency.optional(),
  }),
  'store.visited': z.strictObject({ storeId: Id, associateId: Id.optional() }),
  'subscription.renewal_due': z.strictObject({
    subscriptionId: Id,
    renewsAt: Timestamp,
    plan: z.string().min(1).optional(),
    price: Money.optional(),
    currency: Currency.optional(),
  }),
  /** The renewal went through: a renewal-save run for this subscription has reached its goal. */
  'subscription.renewed': z.strictObject({
    subscriptionId: Id,
    renewedAt: Timestamp.optional(),
    plan: z.string().min(1).optional(),
  }),
  'subscription.cancelled': z.strictObject({
    subscriptionId: Id,
    reason: z.string().min(1).optional(),
  }),
  'loyalty.tier_changed': z.strictObject({ from: z.string().min(1).optional(), to: z.string().min(1) }),
  'consent.updated': z.strictObject({ channel: Channel, purpose: Purpose, granted: z.boolean() }),
  'message.engaged': z.strictObject({
    messageId: Id,
    kind: z.enum(['opened', 'clicked', 'converted']),
    offerId: Id.optional(),
  }),
  /**
   * Computed by the engine, never sent by a service: the customer is about to run out of a product
   * they buy again and again (engine/triggers/cadence.ts). Published at the reminder time, before `runOutAt`.
   */
  'replenishment.due': z.strictObject({
    sku: Sku,
    name: z.string().min(1).optional(),
    category: z.string().min(1).optional(),
    lastOrderAt: Timestamp.describe('When the customer last ordered this product (was lastOrderedAt).'),
    runOutAt: Timestamp.describe(
      'When the last purchase is expected to be used up: last purchase + the reorder interval.',
    ),
    intervalDays: z.number().positive().describe('The reorder interval in days, to the hour (e.g. 30.5).'),
    basis: z
      .enum(['customer', 'product', 'category'])
      .describe(
        "Whose purchases the interval came from: the customer's, the product's buyers', or the category's.",
      ),
  }),
  /** Computed by the engine: no order for `lapseDays`, a threshold from the customer's own cadence. */
  'customer.lapsed': z.strictObject({
    lastOrderAt: Timestamp.describe("When the customer's last order was placed."),
    cadenceDays: z
      .number()
      .positive()
      .optional()
      .describe("The median days between the customer's orders; absent with fewer than two orders."),
    lapseDays: z
      .number()
      .positive()
      .describe('Days without an order after which the customer counts as lapsed.'),
    basis: z
      .enum(['customer', 'floor'])
      .describe(
        'customer: k × their cadence; floor: the minimum applied (too few orders, or very frequent).',
      ),
  }),
} as const;

export const catalogEventData = {
  'product.back_in_stock': z.strictObject({
    sku: Sku,
    name: z.string().min(1).optional(),
    category: z.string().min(1).optional(),
    quantity: z.number().int().positive().optional(),
    currency: Currency.optional().describe('The currency of completeTheLook prices.'),
    completeTheLook: z
      .array(LookItem)
      .max(6)
      .optional()
      .describe('Items merchandising pairs with this one, shown next to it in the restock message.'),
  }),
  'product.price_dropped': z.strictObject({
    sku: Sku,
    name: z.string().min(1).optional(),
    category: z.string().min(1).optional(),
    oldPrice: Money,
    newPrice: Money,
    currency: Currency,
  }),
  'product.launched': z.strictObject({
    sku: Sku,
    name: z.string().min(1),
    category: z.string().min(1).optional(),
    price: Money.optional(),
    currency: Currency.optional(),
    generalReleaseAt: Timestamp.optional().describe('Top tiers may buy before this instant; everyone after.'),
    earlyAccessTiers: z.array(z.string().min(1)).optional(),
  }),
  /**
   * The stock level changed, either way: the only catalog event that can say a product sold out.
   * `back_in_stock` stays the trigger for restock journeys; this one keeps the catalog state current.
   */
  'product.stock_changed': z.strictObject({
    sku: Sku,
    inStock: z.boolean(),
    quantity: z.number().int().nonnegative().optional(),
  }),
} as const;

/**
 * Workspace moments: no customer and no product. `season.started` is published by the moment's
 * Temporal Schedule (workflows/seasonalMoment.ts) and fans out to the cohort it carries.
 */
export const momentEventData = {
  'season.started': z.strictObject({
    momentId: Id,
    name: z.string().min(1),
    startsAt: Timestamp.describe(
      'When the moment begins (its scheduled time), the same instant as occurredAt.',
    ),
    cohort: Cohort.describe('Whom the moment reaches: any one criterion suffices.'),
    hints: z
      .record(z.string().regex(/^[A-Za-z0-9_]+$/), z.string().max(500))
      .optional()
      .describe('Copy for the nudge, e.g. { headline, category }: read by templates as trigger.data.hints.…'),
  }),
} as const;

type CustomerEventType = keyof typeof customerEventData;
type CatalogEventType = keyof typeof catalogEventData;
type MomentEventType = keyof typeof momentEventData;

const envelope = { eventId: Id, occurredAt: Timestamp };

function customerEvent<T extends CustomerEventType>(type: T) {
  return z.strictObject({
    ...envelope,
    type: z.literal(type),
    customerId: Id,
    data: customerEventData[type],
  });
}
function catalogEvent<T extends CatalogEventType>(type: T) {
  return z.strictObject({
    ...envelope,
    type: z.literal(type),
    data: catalogEventData[type],
  });
}
function momentEvent<T extends MomentEventType>(type: T) {
  return z.strictObject({ ...envelope, type: z.literal(type), data: momentEventData[type] });
}

export const CustomerUpserted = customerEvent('customer.upserted');
export const ProductViewed = customerEvent('product.viewed');
export const CartUpdated = customerEvent('cart.updated');
export const CheckoutStarted = customerEvent('checkout.started');
export const OrderPlaced = customerEvent('order.placed');
export const OrderDelivered = customerEvent('order.delivered');
export const OrderReturned = customerEvent('order.returned');
export const WishlistAdded = customerEvent('wishlist.added');
export const StoreVisited = customerEvent('store.visited');
export const SubscriptionRenewalDue = customerEvent('subscription.renewal_due');
export const SubscriptionRenewed = customerEvent('subscription.renewed');
export const SubscriptionCancelled = customerEvent('subscription.cancelled');
export const LoyaltyTierChanged = customerEvent('loyalty.tier_changed');
export const ConsentUpdated = customerEvent('consent.updated');
export const MessageEngaged = customerEvent('message.engaged');
export const ReplenishmentDue = customerEvent('replenishment.due');
export const CustomerLapsed = customerEvent('customer.lapsed');
export const ProductBackInStock = catalogEvent('product.back_in_stock');
export const ProductPriceDropped = catalogEvent('product.price_dropped');
export const ProductLaunched = catalogEvent('product.launched');
export const ProductStockChanged = catalogEvent('product.stock_changed');
export const SeasonStarted = momentEvent('season.started');

export type CustomerUpserted = z.infer<typeof CustomerUpserted>;
export type CartUpdated = z.infer<typeof CartUpdated>;
export type OrderPlaced = z.infer<typeof OrderPlaced>;
export type ReplenishmentDue = z.infer<typeof ReplenishmentDue>;
export type CustomerLapsed = z.infer<typeof CustomerLapsed>;

export const JourneyEvent = z.discriminatedUnion('type', [
  CustomerUpserted,
  ProductViewed,
  CartUpdated,
  CheckoutStarted,
  OrderPlaced,
  OrderDelivered,
  OrderReturned,
  WishlistAdded,
  StoreVisited,
  SubscriptionRenewalDue,
  SubscriptionRenewed,
  SubscriptionCancelled,
  LoyaltyTierChanged,
  ConsentUpdated,
  MessageEngaged,
  ReplenishmentDue,
  CustomerLapsed,
  ProductBackInStock,
  ProductPriceDropped,
  ProductLaunched,
  ProductStockChanged,
  SeasonStarted,
]);
export type JourneyEvent = z.infer<typeof JourneyEvent>;
/** What a producer writes; identical to JourneyEvent today, kept apart so defaults can be added. */
export type JourneyEventInput = z.input<typeof JourneyEvent>;

export type EventType = JourneyEvent['type'];
export type CustomerEvent = Extract<JourneyEvent, { customerId: string }>;
/** A product event (restock, price drop, launch, stock change). */
export type CatalogEvent = Extract<JourneyEvent, { type: CatalogEventType }>;
export type SeasonStarted = z.infer<typeof SeasonStarted>;
/** An event with no customer of its own, which a playbook's `trigger.fanOut` sends to customers. */
export type FanOutEvent = Exclude<JourneyEvent, { customerId: string }>;

export const EVENT_TYPES = Object.keys({
  ...customerEventData,
  ...catalogEventData,
  ...momentEventData,
}) as EventType[];
export const CATALOG_EVENT_TYPES = Object.keys(catalogEventData) as CatalogEventType[];
/** Every event type without a customer: what a playbook trigger must fan out. */
export const FAN_OUT_EVENT_TYPES = [
  ...CATALOG_EVENT_TYPES,
  ...Object.keys(momentEventData),
] as FanOutEvent['type'][];

export function isFanOutEvent(event: JourneyEvent): event is FanOutEvent {
  return !('customerId' in event);
}

export function isCatalogEvent(event: JourneyEvent): event is CatalogEvent {
  return isFanOutEvent(event) && (CATALOG_EVENT_TYPES as readonly string[]).includes(event.type);
}
