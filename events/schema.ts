import { z } from 'zod';

/*
 * Events that services publish. Compatibility rules for changing these schemas:
 * - adding an optional field is safe;
 * - adding a required field, removing a field or narrowing a type is a breaking change and needs a
 *   new event type (e.g. `cart.updated.v2`), because producers deploy independently of us;
 * - objects are strict: an unknown field is rejected, so a producer's typo never silently drops data.
 */

const Currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as "EUR"');

const envelope = {
  eventId: z.string().min(1).max(200),
  customerId: z.string().min(1).max(200),
  occurredAt: z.iso.datetime({ offset: true }),
};

export const CartItem = z.strictObject({
  sku: z.string().min(1),
  name: z.string().min(1),
  quantity: z.number().int().positive(),
  unitPrice: z.number().nonnegative(),
  imageUrl: z.url().optional(),
});
export type CartItem = z.infer<typeof CartItem>;

export const CartUpdated = z.strictObject({
  type: z.literal('cart.updated'),
  ...envelope,
  cartId: z.string().min(1),
  currency: Currency,
  items: z.array(CartItem).max(200),
  cartUrl: z.url().optional(),
});
export type CartUpdated = z.infer<typeof CartUpdated>;

export const OrderPlaced = z.strictObject({
  type: z.literal('order.placed'),
  ...envelope,
  orderId: z.string().min(1),
  currency: Currency,
  total: z.number().nonnegative(),
  cartId: z.string().min(1).optional(),
});
export type OrderPlaced = z.infer<typeof OrderPlaced>;

export const JourneyEvent = z.discriminatedUnion('type', [CartUpdated, OrderPlaced]);
export type JourneyEvent = z.infer<typeof JourneyEvent>;
/** What a producer writes; identical to JourneyEvent today, kept apart so defaults can be added. */
export type JourneyEventInput = z.input<typeof JourneyEvent>;
