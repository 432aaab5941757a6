import type { EventType, JourneyEventInput } from '../../schemas/events/schema';

/*
 * The prose and the example of each event type in docs/events.md. The field tables come from the
 * zod schema (./eventsDoc.ts); test/eventsDoc.test.ts checks that every type has an entry here and
 * that every example is accepted as it is written.
 */

export interface EventDocEntry {
  /** One or two sentences: who sends it and what reads it. */
  about: string;
  example: JourneyEventInput;
}

const at = '2026-11-21T10:15:00Z';
const c = { customerId: 'cust-42', occurredAt: at };

export const EVENT_DOCS: Record<EventType, EventDocEntry> = {
  'customer.upserted': {
    about:
      'The customer profile changed (contact details, locale, tier, consents, custom attributes). ' +
      'Fields sent are merged into the profile; absent fields are left as they were.',
    example: {
      eventId: 'evt-1001',
      type: 'customer.upserted',
      ...c,
      data: { email: 'ada@example.com', firstName: 'Ada', timezone: 'Europe/Stockholm', country: 'SE' },
    },
  },
  'product.viewed': {
    about: 'The customer looked at a product page: browse abandonment and the `viewed` cohorts read it.',
    example: {
      eventId: 'evt-1002',
      type: 'product.viewed',
      ...c,
      data: { sku: 'TEE-01', name: 'Organic cotton tee', category: 'apparel', price: 19.5, currency: 'EUR' },
    },
  },
  'cart.updated': {
    about: 'The cart changed; an empty `items` list means it was emptied. Starts cart abandonment.',
    example: {
      eventId: 'evt-1003',
      type: 'cart.updated',
      ...c,
      data: {
        cartId: 'cart-9',
        currency: 'EUR',
        items: [{ sku: 'TEE-01', name: 'Organic cotton tee', quantity: 2, price: 19.5 }],
        cartUrl: 'https://shop.example/cart/9',
      },
    },
  },
  'checkout.started': {
    about: 'The customer began checking out. Starts checkout abandonment.',
    example: {
      eventId: 'evt-1004',
      type: 'checkout.started',
      ...c,
      data: {
        checkoutId: 'co-3',
        cartId: 'cart-9',
        currency: 'EUR',
        total: 39,
        items: [{ sku: 'TEE-01', name: 'Organic cotton tee', quantity: 2, price: 19.5 }],
      },
    },
  },
  'order.placed': {
    about:
      'An order, online or in a store. Ends abandonment runs, counts as a conversion, arms the ' +
      'replenishment and lapse timers, and feeds the `ordered` cohorts and order economics.',
    example: {
      eventId: 'evt-1005',
      type: 'order.placed',
      ...c,
      data: {
        orderId: 'ord-77',
        items: [{ sku: 'TEE-01', category: 'apparel', quantity: 2, price: 19.5 }],
        total: 39,
        currency: 'EUR',
        salesChannel: 'online',
        cartId: 'cart-9',
      },
    },
  },
  'order.delivered': {
    about: 'The order arrived: post-purchase journeys (care tips, reviews) start here.',
    example: {
      eventId: 'evt-1006',
      type: 'order.delivered',
      ...c,
      data: { orderId: 'ord-77', categories: ['apparel'] },
    },
  },
  'order.returned': {
    about: 'All or part of an order came back.',
    example: {
      eventId: 'evt-1007',
      type: 'order.returned',
      ...c,
      data: { orderId: 'ord-77', items: [{ sku: 'TEE-01', quantity: 1 }], reason: 'size' },
    },
  },
  'wishlist.added': {
    about: 'The customer saved a product; restock and price-drop fan-outs reach them through it.',
    example: {
      eventId: 'evt-1008',
      type: 'wishlist.added',
      ...c,
      data: { sku: 'BOOT-3', category: 'footwear' },
    },
  },
  'store.visited': {
    about: 'The customer was seen in a store.',
    example: { eventId: 'evt-1009', type: 'store.visited', ...c, data: { storeId: 'store-12' } },
  },
  'subscription.renewal_due': {
    about: 'A subscription renews soon: starts the renewal-save journey.',
    example: {
      eventId: 'evt-1010',
      type: 'subscription.renewal_due',
      ...c,
      data: { subscriptionId: 'sub-5', renewsAt: '2026-12-01T00:00:00Z', plan: 'monthly' },
    },
  },
  'subscription.renewed': {
    about: 'The renewal went through: a renewal-save run for this subscription has reached its goal.',
    example: { eventId: 'evt-1011', type: 'subscription.renewed', ...c, data: { subscriptionId: 'sub-5' } },
  },
  'subscription.cancelled': {
    about: 'The customer cancelled a subscription.',
    example: {
      eventId: 'evt-1012',
      type: 'subscription.cancelled',
      ...c,
      data: { subscriptionId: 'sub-5', reason: 'price' },
    },
  },
  'loyalty.tier_changed': {
    about: "The customer's loyalty tier changed; the profile's `loyaltyTier` follows `to`.",
    example: {
      eventId: 'evt-1013',
      type: 'loyalty.tier_changed',
      ...c,
      data: { from: 'silver', to: 'gold' },
    },
  },
  'consent.updated': {
    about:
      'The customer granted or withdrew consent for a message `channel` (email or sms) and purpose. ' +
      'Applied to the profile in event-time order: a late opt-out is never lost.',
    example: {
      eventId: 'evt-1014',
      type: 'consent.updated',
      ...c,
      data: { channel: 'email', purpose: 'marketing', granted: false },
    },
  },
  'message.engaged': {
    about: 'The customer opened, clicked or converted on a message; offer learning and lift read it.',
    example: {
      eventId: 'evt-1015',
      type: 'message.engaged',
      ...c,
      data: { messageId: 'msg-1', kind: 'clicked', offerId: 'offer-10' },
    },
  },
  'replenishment.due': {
    about:
      'Computed by the engine, never sent by a service: the customer is about to run out of a ' +
      'product they buy again and again. Published at the reminder time, before `runOutAt`.',
    example: {
      eventId: 'evt-1016',
      type: 'replenishment.due',
      ...c,
      data: {
        sku: 'COFFEE-1',
        category: 'coffee',
        lastOrderAt: '2026-10-22T09:00:00Z',
        runOutAt: '2026-11-21T09:00:00Z',
        intervalDays: 30,
        basis: 'customer',
      },
    },
  },
  'customer.lapsed': {
    about: "Computed by the engine: no order for `lapseDays`, a threshold from the customer's own cadence.",
    example: {
      eventId: 'evt-1017',
      type: 'customer.lapsed',
      ...c,
      data: { lastOrderAt: '2026-08-01T09:00:00Z', cadenceDays: 30, lapseDays: 90, basis: 'customer' },
    },
  },
  'product.back_in_stock': {
    about: 'A catalog event: the product can be bought again. Fans out to the customers who wanted it.',
    example: {
      eventId: 'evt-1018',
      type: 'product.back_in_stock',
      occurredAt: at,
      data: { sku: 'BOOT-3', name: 'Waxed leather boots', quantity: 40 },
    },
  },
  'product.price_dropped': {
    about: 'A catalog event: the price went down. Fans out to the customers who wanted the product.',
    example: {
      eventId: 'evt-1019',
      type: 'product.price_dropped',
      occurredAt: at,
      data: { sku: 'BOOT-3', oldPrice: 149, newPrice: 119, currency: 'EUR' },
    },
  },
  'product.launched': {
    about: 'A catalog event: a new product, with early access for top tiers when `generalReleaseAt` is set.',
    example: {
      eventId: 'evt-1020',
      type: 'product.launched',
      occurredAt: at,
      data: { sku: 'JACKET-9', name: 'Rain jacket', category: 'outerwear', price: 129, currency: 'EUR' },
    },
  },
  'product.stock_changed': {
    about:
      'A catalog event: the stock level changed, either way; the only one that can say a product ' +
      'sold out. Keeps the catalog state that sends recheck current.',
    example: {
      eventId: 'evt-1021',
      type: 'product.stock_changed',
      occurredAt: at,
      data: { sku: 'BOOT-3', inStock: false, quantity: 0 },
    },
  },
  'season.started': {
    about:
      "A workspace moment, published by the moment's Temporal Schedule (`journeys seasons sync`, " +
      'policy/seasons.yaml); fans out to the cohort it carries.',
    example: {
      eventId: 'evt-1022',
      type: 'season.started',
      occurredAt: '2026-11-27T07:00:00+01:00',
      data: {
        momentId: 'black-friday',
        name: 'Black Friday',
        startsAt: '2026-11-27T07:00:00+01:00',
        cohort: { ordered: { categories: ['outerwear'], within: '365d' }, tiers: ['gold'] },
        hints: { headline: 'Black Friday starts now' },
      },
    },
  },
};
