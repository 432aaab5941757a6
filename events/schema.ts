import { z } from 'zod';

/*
 * The event envelope services publish: { eventId, type, customerId, occurredAt, data }.
 * `customerId` is required for customer events and absent for catalog events, which fan out to
 * the customers they concern.
 *
 * Compatibility rules for changing these schemas:
 * - adding an optional field to a `data` schema is safe;
 * - adding a required field, removing a field or narrowing a type breaks producers, who deploy
 *   independently of us: add a new event type (e.g. `cart.updated.v2`) instead;
 * - objects are strict: an unknown field is rejected, so a producer's typo never silently drops data.
 */

const Currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as "EUR"');
const Money = z.number().nonnegative();
const Sku = z.string().min(1);
const Id = z.string().min(1).max(200);
const Timestamp = z.iso.datetime({ offset: true });
const Channel = z.enum(['email', 'sms']);
const Purpose = z.enum(['transactional', 'marketing', 'personalization']);

export const CartItem = z.strictObject({
  sku: Sku,
  name: z.string().min(1),
  category: z.string().min(1).optional(),
  quantity: z.number().int().positive(),
  unitPrice: Money,
  imageUrl: z.url().optional(),
});
export type CartItem = z.infer<typeof CartItem>;

export const OrderItem = z.strictObject({
  sku: Sku,
  name: z.string().min(1).optional(),
  category: z.string().min(1),
  price: Money,
  quantity: z.number().int().positive(),
  /** What one unit cost the shop; absent, the workspace's cost ratio for the category is used. */
  cost: Money.optional(),
});
export type OrderItem = z.infer<typeof OrderItem>;

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
    category: z.string().min(1).optional(),
    price: Money.optional(),
    currency: Currency.optional(),
  }),
  'cart.updated': z.strictObject({
    cartId: Id,
    currency: Currency,
    items: z.array(CartItem).max(200),
    cartUrl: z.url().optional(),
  }),
  'checkout.started': z.strictObject({
    checkoutId: Id,
    cartId: Id.optional(),
    currency: Currency,
    total: Money,
    items: z.array(CartItem).max(200).optional(),
    checkoutUrl: z.url().optional(),
  }),
  'order.placed': z.strictObject({
    orderId: Id,
    items: z.array(OrderItem).min(1).max(500),
    total: Money,
    currency: Currency,
    channel: z.enum(['online', 'store']),
    storeId: Id.optional(),
    cartId: Id.optional(),
    /** Offers redeemed on this order (the catalog's offerId), for redemption caps and discount cost. */
    offerIds: z.array(Id).max(20).optional(),
    /** The discount the order got, in total: its cost to the shop, for margin after discount. */
    discount: Money.optional(),
  }),
  'order.delivered': z.strictObject({ orderId: Id }),
  'order.returned': z.strictObject({
    orderId: Id,
    items: z.array(z.strictObject({ sku: Sku, quantity: z.number().int().positive() })).optional(),
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
  'loyalty.tier_changed': z.strictObject({ from: z.string().min(1).optional(), to: z.string().min(1) }),
  'consent.updated': z.strictObject({ channel: Channel, purpose: Purpose, granted: z.boolean() }),
  'message.engaged': z.strictObject({
    messageId: Id,
    kind: z.enum(['opened', 'clicked', 'converted']),
    offerId: Id.optional(),
  }),
} as const;

export const catalogEventData = {
  'product.back_in_stock': z.strictObject({
    sku: Sku,
    name: z.string().min(1).optional(),
    category: z.string().min(1).optional(),
    quantity: z.number().int().positive().optional(),
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
    /** Top tiers may buy before this instant; everyone after. */
    generalReleaseAt: Timestamp.optional(),
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

type CustomerEventType = keyof typeof customerEventData;
type CatalogEventType = keyof typeof catalogEventData;

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
export const LoyaltyTierChanged = customerEvent('loyalty.tier_changed');
export const ConsentUpdated = customerEvent('consent.updated');
export const MessageEngaged = customerEvent('message.engaged');
export const ProductBackInStock = catalogEvent('product.back_in_stock');
export const ProductPriceDropped = catalogEvent('product.price_dropped');
export const ProductLaunched = catalogEvent('product.launched');
export const ProductStockChanged = catalogEvent('product.stock_changed');

export type CustomerUpserted = z.infer<typeof CustomerUpserted>;
export type CartUpdated = z.infer<typeof CartUpdated>;
export type OrderPlaced = z.infer<typeof OrderPlaced>;

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
  LoyaltyTierChanged,
  ConsentUpdated,
  MessageEngaged,
  ProductBackInStock,
  ProductPriceDropped,
  ProductLaunched,
  ProductStockChanged,
]);
export type JourneyEvent = z.infer<typeof JourneyEvent>;
/** What a producer writes; identical to JourneyEvent today, kept apart so defaults can be added. */
export type JourneyEventInput = z.input<typeof JourneyEvent>;

export type EventType = JourneyEvent['type'];
export type CustomerEvent = Extract<JourneyEvent, { customerId: string }>;
export type CatalogEvent = Exclude<JourneyEvent, { customerId: string }>;

export const EVENT_TYPES = Object.keys({ ...customerEventData, ...catalogEventData }) as EventType[];
export const CATALOG_EVENT_TYPES = Object.keys(catalogEventData) as CatalogEventType[];

export function isCatalogEvent(event: JourneyEvent): event is CatalogEvent {
  return !('customerId' in event);
}
