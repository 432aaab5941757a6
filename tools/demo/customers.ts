import type { LOYALTY_TIERS } from './offerCatalog';
import type { EventLog } from './eventLog';
import { DEMO_MARKETS, type DemoMarket } from './markets.data';
import type { Rng } from './rng';

/*
 * Who shops at the demo store. Each customer is written once as `customer.upserted` at the start
 * of the window, so a replay builds every profile before the first behaviour event reaches a
 * playbook; the traits below decide what they do afterwards (demo/behaviour.ts).
 */

export type Tier = (typeof LOYALTY_TIERS)[number];

export interface DemoCustomer {
  customerId: string;
  market: DemoMarket;
  hasEmail: boolean;
  hasPhone: boolean;
  tier: Tier;
  /** Buys a consumable again and again, at this share of its category's cycle (their own rhythm). */
  consumerPace?: number;
  /** Stops ordering after the first weeks: the customers win-back is for. */
  lapses: boolean;
  subscriber: boolean;
  storeShopper: boolean;
  wishlister: boolean;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function phone(rng: Rng, market: DemoMarket): string {
  let digits = '';
  for (let i = 0; i < market.phoneDigits; i++) digits += String(rng.int(0, 9));
  return `${market.phonePrefix}${digits}`;
}

export function demoCustomers(rng: Rng, count: number, log: EventLog): DemoCustomer[] {
  const width = Math.max(4, String(count).length);
  const markets = DEMO_MARKETS.map((market) => [market, market.weight] as const);
  return Array.from({ length: count }, (_, index) => {
    const customerId = `demo-c${pad(index + 1, width)}`;
    const market = rng.weighted(markets);
    const reach = rng.weighted([
      ['both', 60],
      ['email', 28],
      ['phone', 12],
    ] as const);
    const customer: DemoCustomer = {
      customerId,
      market,
      hasEmail: reach !== 'phone',
      hasPhone: reach !== 'email',
      tier: rng.weighted([
        ['bronze', 50],
        ['silver', 28],
        ['gold', 15],
        ['platinum', 7],
      ] as const),
      ...(rng.chance(0.35) && { consumerPace: rng.between(0.8, 1.25) }),
      lapses: rng.chance(0.2),
      subscriber: rng.chance(0.12),
      // Only those near a store (SE, GB, DE) act on it.
      storeShopper: rng.chance(0.25),
      wishlister: rng.chance(0.35),
    };
    const firstName = rng.pick(market.firstNames);
    const number = phone(rng, market);
    // Email marketing needs no opt-in under the shipped policy; a few have opted out. SMS marketing
    // is opted into by most who gave a number, and refused by some.
    const emailMarketing = rng.weighted([
      [undefined, 80],
      [true, 14],
      [false, 6],
    ] as const);
    const smsMarketing = rng.weighted([
      [true, 65],
      [undefined, 25],
      [false, 10],
    ] as const);
    log.customer('customer.upserted', customerId, log.start, {
      firstName,
      ...(customer.hasEmail && { email: `${firstName.toLowerCase()}.${index + 1}@example.test` }),
      ...(customer.hasPhone && { phone: number }),
      // A few profiles lack a timezone: the engine then reads it from the phone number.
      ...(!(customer.hasPhone && rng.chance(0.15)) && { timezone: market.timezone }),
      country: market.country,
      loyaltyTier: customer.tier,
      consents: {
        ...(customer.hasEmail && {
          email: { transactional: true, ...(emailMarketing !== undefined && { marketing: emailMarketing }) },
        }),
        ...(customer.hasPhone && {
          sms: { transactional: true, ...(smsMarketing !== undefined && { marketing: smsMarketing }) },
        }),
      },
      attributes: {
        signupChannel: rng.pick(['web', 'app', 'store']),
        // The churn model's score, as it writes it with the profile; renewal-save reads it.
        ...(customer.subscriber && { churnRisk: Math.round(rng.unit() * 100) / 100 }),
      },
    });
    return customer;
  });
}
