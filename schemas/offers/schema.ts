import { z } from 'zod';

/*
 * An offer in the catalog, as CRM teams import it (`journeys offers import`, JSON or CSV). Parsed
 * here at the boundary; the stored document is the parsed value, and the decision
 * (engine/offers/) reads it as plain data, in the worker and in the simulator alike.
 *
 * Two families share one discriminator, `kind`:
 * - own offers: `discount` (exactly one of `discountPercent` or `discountAmount`), `freeShipping`
 *   and `gift`, with eligibility (basket, categories, loyalty tiers) and guardrails (discount cap,
 *   margin floor, redemption caps, budget);
 * - partner offers (retail media): `partner`, a brand's offer paid per click or per acquisition,
 *   shown next to purchases in its adjacent categories but never next to `neverNextTo`.
 *
 * Amounts (basket, discount, cap, budget, payout) are in the shop's currency: one catalog, one
 * currency. Dates are ISO dates or instants, stored as ISO instants (a bare date is midnight UTC).
 *
 * Compatibility rules:
 * - a new optional field is safe: documents imported before it simply lack it, and the decision
 *   must treat absent as "no restriction" (or, for a value such as `longTermValue`, as 0);
 * - a field keeps its name and meaning: stored documents are read as this type without parsing;
 * - a new `kind` needs decision support first (engine/offers/decide.ts), then may be imported;
 * - renaming or removing a field, or changing its unit, is breaking: add `schemaVersion` to the
 *   document and migrate stored offers, since re-importing every catalog cannot be assumed.
 */

const OfferId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, {
  error: (issue) =>
    `"${String(issue.input)}" is not an offer id: use letters, digits, _ . : or - (up to 100)`,
});
const Text = z.string().trim().min(1, 'must not be empty');
const Amount = z.number().nonnegative('must be 0 or more');
const PositiveAmount = z.number().positive('must be more than 0');
const Percent = z.number().gt(0, 'must be more than 0').max(100, 'must be at most 100');
const Count = z.number().int('must be a whole number').positive('must be at least 1');
const Category = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, {
  error: (issue) =>
    `"${String(issue.input)}" is not a category id: use lowercase letters, digits and dashes, such as running-shoes`,
});
const Categories = z.array(Category);
/** A calendar date (midnight UTC) or an instant with an offset; stored as an ISO instant. */
const Instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'expected a date such as 2026-12-01 or 2026-12-01T09:00:00Z',
  })
  .transform((value) => new Date(value).toISOString());

/** What every offer has: identity, validity and the caps that stop it being shown too often. */
const common = {
  offerId: OfferId,
  title: Text,
  /** The code the customer types at checkout, when there is one. */
  code: Text.optional(),
  active: z.boolean().default(true),
  validFrom: Instant.optional(),
  validTo: Instant.optional(),
  /** Minimum value of the triggering cart or order. */
  minBasket: Amount.optional(),
  /** How often one customer may redeem it (own) or be shown it (partner). */
  perCustomerCap: Count.optional(),
  /** Redemptions (own) or paid events (partner) in all, across customers. */
  totalCap: Count.optional(),
  /** The most it may cost in all: discounts given (own) or payouts earned are capped by the brand. */
  budget: Amount.optional(),
};

/** Eligibility and margin guardrails of the shop's own offers. */
const own = {
  ...common,
  /** Purchased or carted categories that qualify; absent or empty means any category. */
  eligibleCategories: Categories.optional(),
  /** Loyalty tiers that qualify (the profile's `loyaltyTier`); absent or empty means everyone. */
  eligibleTiers: z.array(Text).optional(),
  /** Never give away more than this per order, whatever the percentage says. */
  maxDiscount: PositiveAmount.optional(),
  /**
   * Minimum margin, in percent of the basket after the offer's cost, given the basket's cost:
   * (basket − discount − cost) / (basket − discount) ≥ marginFloorPercent / 100.
   */
  marginFloorPercent: z.number().min(0, 'must be 0 or more').lt(100, 'must be less than 100').optional(),
  /**
   * What the offer is worth beyond this order (a loyalty sign-up, a first app order), counted with
   * the order's margin when offers are compared. Absent means 0: the order's margin alone.
   */
  longTermValue: Amount.optional(),
};

export const DiscountOffer = z.strictObject({
  kind: z.literal('discount'),
  ...own,
  discountPercent: Percent.optional(),
  discountAmount: PositiveAmount.optional(),
});
export const FreeShippingOffer = z.strictObject({ kind: z.literal('freeShipping'), ...own });
export const GiftOffer = z.strictObject({
  kind: z.literal('gift'),
  ...own,
  /** What the gift costs the shop, counted against the margin floor and the budget. */
  giftCost: Amount.optional(),
});

export const PartnerOffer = z.strictObject({
  kind: z.literal('partner'),
  ...common,
  brand: Text,
  /** The brand's own category: where its offer belongs. */
  category: Category,
  /**
   * Purchased categories it must never be shown next to: typically its own category (the buyer
   * just chose a competitor) and its rivals' substitutes.
   */
  neverNextTo: Categories.default([]),
  /** `cpc`: paid per click; `cpa`: paid per purchase through the offer. */
  payoutModel: z.enum(['cpc', 'cpa'], { error: 'expected cpc (per click) or cpa (per acquisition)' }),
  /** What the brand pays per click or acquisition. */
  payout: PositiveAmount,
  /**
   * The unit prices of purchases it suits (a premium brand next to premium baskets), compared with
   * the basket's mean unit price; either bound may be absent.
   */
  pricePoint: z
    .strictObject({ min: Amount.optional(), max: Amount.optional() })
    .refine((range) => range.min === undefined || range.max === undefined || range.min <= range.max, {
      message: 'min must not be more than max',
      path: ['max'],
    })
    .optional(),
});

const KINDS = ['discount', 'freeShipping', 'gift', 'partner'] as const;

export const Offer = z
  .discriminatedUnion('kind', [DiscountOffer, FreeShippingOffer, GiftOffer, PartnerOffer], {
    error: `expected one of ${KINDS.join(', ')}`,
  })
  .superRefine((offer, ctx) => {
    if (offer.kind === 'discount') {
      const given = [offer.discountPercent, offer.discountAmount].filter((v) => v !== undefined).length;
      if (given !== 1)
        ctx.addIssue({
          code: 'custom',
          path: [offer.discountPercent === undefined ? 'discountPercent' : 'discountAmount'],
          message:
            given === 0
              ? 'a discount needs discountPercent or discountAmount'
              : 'give discountPercent or discountAmount, not both',
        });
    }
    if (offer.validFrom !== undefined && offer.validTo !== undefined && offer.validTo <= offer.validFrom)
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'must be after validFrom' });
  });

export type DiscountOffer = z.infer<typeof DiscountOffer>;
export type FreeShippingOffer = z.infer<typeof FreeShippingOffer>;
export type GiftOffer = z.infer<typeof GiftOffer>;
export type PartnerOffer = z.infer<typeof PartnerOffer>;
export type Offer = z.infer<typeof Offer>;
export type OwnOffer = DiscountOffer | FreeShippingOffer | GiftOffer;
export type OfferKind = Offer['kind'];
export const OFFER_KINDS: readonly OfferKind[] = KINDS;
