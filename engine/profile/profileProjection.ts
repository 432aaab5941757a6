import type { JourneyEvent } from '../../schemas/events/schema';
import type { Profile } from './profile';

/**
 * What an event changes in a customer's profile, as dotted paths to set (`consents.sms.marketing`).
 * One rule for MongoDB (applied with $set) and the simulator (applied in memory), so both agree.
 */
export function profileChanges(event: JourneyEvent): Record<string, unknown> | undefined {
  switch (event.type) {
    case 'customer.upserted': {
      const { consents, attributes, ...fields } = event.data;
      const changes: Record<string, unknown> = { ...fields };
      for (const [channel, purposes] of Object.entries(consents ?? {})) {
        for (const [purpose, granted] of Object.entries(purposes ?? {})) {
          changes[`consents.${channel}.${purpose}`] = granted;
        }
      }
      for (const [name, value] of Object.entries(attributes ?? {})) changes[`attributes.${name}`] = value;
      return changes;
    }
    case 'consent.updated':
      return { [`consents.${event.data.channel}.${event.data.purpose}`]: event.data.granted };
    case 'loyalty.tier_changed':
      return { loyaltyTier: event.data.to };
    default:
      return undefined;
  }
}

/**
 * Fields an event moves forward only, never back: the latest order wins whatever order the events
 * arrive in. Kept apart from profileChanges, whose newest-event-wins rule would drop an order that
 * arrives after a newer profile update (and would make an order hide a late profile update).
 * Values are UTC ISO strings, which compare like the instants they name.
 */
export function profileMaxima(event: JourneyEvent): Record<string, string> | undefined {
  if (event.type !== 'order.placed') return undefined;
  return { lastOrderAt: new Date(event.occurredAt).toISOString() };
}

/**
 * The first order, kept as the oldest one seen: an order that arrives late but happened earlier
 * replaces it, a re-routed or later order changes nothing. Both fields move together, so the pair
 * is compared as (occurredAt, orderId), which also settles two orders at the same instant.
 */
export function profileMinima(event: JourneyEvent): FirstOrder | undefined {
  if (event.type !== 'order.placed') return undefined;
  return { firstOrderAt: new Date(event.occurredAt).toISOString(), firstOrderId: event.data.orderId };
}

export interface FirstOrder {
  firstOrderAt: string;
  firstOrderId: string;
}

/** Whether `candidate` is older than the profile's first order (or the profile has none). */
export function isEarlierOrder(profile: Partial<FirstOrder>, candidate: FirstOrder): boolean {
  const { firstOrderAt: at, firstOrderId: id } = profile;
  if (at === undefined || id === undefined) return true;
  return candidate.firstOrderAt < at || (candidate.firstOrderAt === at && candidate.firstOrderId < id);
}

/** Applies minima in memory, as store/profiles.ts does with a conditional update. */
export function applyMinima(profile: Profile, minima: FirstOrder): Profile {
  return isEarlierOrder(profile, minima) ? applyChanges(profile, { ...minima }) : profile;
}

/** Applies maxima in memory, as MongoDB's $max does. */
export function applyMaxima(profile: Profile, maxima: Record<string, string>): Profile {
  const current = profile as unknown as Record<string, unknown>;
  const raised = Object.entries(maxima).filter(([field, value]) => {
    const have = current[field];
    return typeof have !== 'string' || have < value;
  });
  return raised.length === 0 ? profile : applyChanges(profile, Object.fromEntries(raised));
}

/** Whether the customer ordered after `since` (an ISO instant), by the profile's lastOrderAt. */
export function orderedSince(profile: Profile | undefined, since: string): boolean {
  const last = profile?.lastOrderAt;
  return last !== undefined && Date.parse(last) > Date.parse(since);
}

/** Applies dotted-path changes to a profile without mutating it. */
export function applyChanges(profile: Profile, changes: Record<string, unknown>): Profile {
  const next = structuredCloneJson(profile) as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(changes)) {
    const parts = path.split('.');
    let target = next;
    for (const part of parts.slice(0, -1)) {
      const child = target[part];
      target = (target[part] = typeof child === 'object' && child !== null ? child : {}) as Record<
        string,
        unknown
      >;
    }
    target[parts[parts.length - 1]!] = value;
  }
  return next as unknown as Profile;
}

/** Tags and attributes an `update` step writes, in the same dotted form. */
export function stepChanges(
  profile: Profile,
  update: { set?: Record<string, string | number | boolean>; addTags?: string[]; removeTags?: string[] },
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(update.set ?? {})) changes[`attributes.${name}`] = value;
  if (update.addTags || update.removeTags) {
    const tags = new Set(profile.tags ?? []);
    for (const tag of update.addTags ?? []) tags.add(tag);
    for (const tag of update.removeTags ?? []) tags.delete(tag);
    changes.tags = [...tags].sort();
  }
  return changes;
}

function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
