/*
 * Where the demo store's customers live: country, IANA timezone, a phone number pattern and an
 * approximate UTC offset. The offset only shapes when people shop (their evening, not ours); the
 * engine itself always works from the timezone. Far-off zones are in the mix on purpose: for a
 * shop policy in UTC, an SMS due at 20:00 UTC lands in Tokyo's or Sydney's night, which is where
 * quiet hours earn their keep.
 */
export interface DemoMarket {
  country: string;
  timezone: string;
  /** Share of customers, relative to the others. */
  weight: number;
  utcOffsetHours: number;
  /** E.164 prefix; random digits fill up to `phoneDigits` after it. */
  phonePrefix: string;
  phoneDigits: number;
  firstNames: readonly string[];
}

export const DEMO_MARKETS: readonly DemoMarket[] = [
  {
    country: 'SE',
    timezone: 'Europe/Stockholm',
    weight: 30,
    utcOffsetHours: 1,
    phonePrefix: '+4670',
    phoneDigits: 7,
    firstNames: ['Astrid', 'Erik', 'Maja', 'Oskar', 'Elsa', 'Lars', 'Ingrid', 'Nils'],
  },
  {
    country: 'GB',
    timezone: 'Europe/London',
    weight: 20,
    utcOffsetHours: 0,
    phonePrefix: '+447700',
    phoneDigits: 6,
    firstNames: ['Olivia', 'Harry', 'Amelia', 'George', 'Isla', 'Jack'],
  },
  {
    country: 'DE',
    timezone: 'Europe/Berlin',
    weight: 15,
    utcOffsetHours: 1,
    phonePrefix: '+49151',
    phoneDigits: 8,
    firstNames: ['Lena', 'Jonas', 'Mia', 'Felix', 'Hannah', 'Paul'],
  },
  {
    country: 'US',
    timezone: 'America/New_York',
    weight: 15,
    utcOffsetHours: -5,
    phonePrefix: '+1212555',
    phoneDigits: 4,
    firstNames: ['Emma', 'Liam', 'Ava', 'Noah', 'Sophia', 'Mason'],
  },
  {
    country: 'US',
    timezone: 'America/Los_Angeles',
    weight: 8,
    utcOffsetHours: -8,
    phonePrefix: '+1415555',
    phoneDigits: 4,
    firstNames: ['Chloe', 'Ethan', 'Zoe', 'Lucas'],
  },
  {
    country: 'AU',
    timezone: 'Australia/Sydney',
    weight: 6,
    utcOffsetHours: 11,
    phonePrefix: '+6129',
    phoneDigits: 7,
    firstNames: ['Charlotte', 'Oliver', 'Ruby', 'Jack'],
  },
  {
    country: 'JP',
    timezone: 'Asia/Tokyo',
    weight: 6,
    utcOffsetHours: 9,
    phonePrefix: '+8190',
    phoneDigits: 8,
    firstNames: ['Yui', 'Haruto', 'Aoi', 'Sota'],
  },
];

/** The shop's stores; only customers in a store's country visit it. */
export const DEMO_STORES = [
  { storeId: 'store-stockholm-01', country: 'SE', associates: ['assoc-anna', 'assoc-johan'] },
  { storeId: 'store-goteborg-01', country: 'SE', associates: ['assoc-sara'] },
  { storeId: 'store-london-01', country: 'GB', associates: ['assoc-priya', 'assoc-tom'] },
  { storeId: 'store-berlin-01', country: 'DE', associates: ['assoc-katrin'] },
] as const;
