import type { CapRule } from '../../schemas/policy/schema';

/*
 * The chaos oracle: what the load generator had acknowledged, what the providers' sinks accepted
 * or refused, and what the caps allow, compared without asking the engine what it thinks it did.
 * Pure, so its verdicts are unit-tested apart from the servers that produce its input.
 */

export type Channel = 'email' | 'sms';

export interface ChaosCustomer {
  customerId: string;
  email: string;
  phone: string;
  /** The calendar the caps count in for this customer; absent, the policy's timezone. */
  timezone?: string;
}

/** An event `publishEvent` acknowledged (a re-publish of the same eventId is the same event). */
export interface AcknowledgedEvent {
  eventId: string;
  customerId: string;
}

/** How many messages of a channel a customer must have received (or had refused for good). */
export interface ExpectedActions {
  customerId: string;
  channel: Channel;
  count: number;
  /** The acknowledged events these actions answer, to name them when some are missing. */
  eventIds: readonly string[];
}

/** One message a sink accepted: every copy is a record of its own. */
export interface AcceptedMessage {
  channel: Channel;
  to: string;
  /** The send's idempotency key, as the message carried it; undefined if it carried none. */
  key: string | undefined;
  acceptedAt: Date;
}

/** One message a sink refused. `permanent` (SMTP 5xx): a hard bounce, an action that happened. */
export interface RefusedMessage {
  channel: Channel;
  to: string;
  key: string | undefined;
  permanent: boolean;
}

export interface CapPolicy {
  timezone: string;
  weekStartsOn: 'mon' | 'sun';
  caps: readonly CapRule[];
}

export interface CheckInput {
  customers: readonly ChaosCustomer[];
  acknowledged: readonly AcknowledgedEvent[];
  expected: readonly ExpectedActions[];
  accepted: readonly AcceptedMessage[];
  refused: readonly RefusedMessage[];
  policy: CapPolicy;
  /** Keys whose delivery record says the message was re-sent after a worker crash mid-send. */
  resentAfterCrash: ReadonlySet<string>;
  /** Keys holding a reservation in the contact ledger: the proof each send passed a cap check. */
  reservedKeys: ReadonlySet<string>;
}

export interface LostAction {
  customerId: string;
  channel: Channel;
  expected: number;
  got: number;
  eventIds: readonly string[];
}

export interface Duplicate {
  key: string;
  copies: number;
  /** Only with evidence: the delivery record says `reconciled: 'resent-after-crash'`. */
  ambiguous: boolean;
}

export interface CapViolation {
  customerId: string;
  /** A cap rule overrun in one window, or `no-reservation`: a send without a cap check. */
  rule: string;
  window: string;
  count: number;
  max: number;
  keys: readonly string[];
}

export interface CheckResult {
  events: number;
  expectedActions: number;
  actions: number;
  lost: number;
  lostActions: LostAction[];
  /** Extra copies outside the ambiguous-provider window. */
  duplicates: number;
  /** Extra copies inside it (re-sent after a crash, per the delivery record): counted, not hidden. */
  ambiguousDuplicates: number;
  duplicateKeys: Duplicate[];
  capViolations: number;
  capViolationDetails: CapViolation[];
  /** Messages that reached a sink without an idempotency key, or for no known customer. */
  unattributed: number;
}

/** The customer's local date, `YYYY-MM-DD`, in the given zone. */
export function localDate(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** The local date on which `at`'s calendar week starts. */
export function localWeekStart(at: Date, timezone: string, weekStartsOn: 'mon' | 'sun'): string {
  const [year, month, day] = localDate(at, timezone).split('-').map(Number) as [number, number, number];
  const noon = Date.UTC(year, month - 1, day, 12);
  const weekday = new Date(noon).getUTCDay();
  const back = weekStartsOn === 'mon' ? (weekday + 6) % 7 : weekday;
  return new Date(noon - back * 86_400_000).toISOString().slice(0, 10);
}

const DURATION_UNITS_MS: Record<string, number> = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 };

function rollingMs(duration: string): number {
  const match = /^(\d+)([smhdw])$/.exec(duration);
  if (!match) throw new Error(`unsupported rolling window ${duration}`);
  return Number(match[1]) * DURATION_UNITS_MS[match[2]!]!;
}

function ruleName(rule: CapRule): string {
  const window = 'rolling' in rule.window ? rule.window.rolling : rule.window.calendar;
  return `${rule.channel} ${rule.max}/${window}`;
}

interface Message {
  key: string;
  channel: Channel;
  at: Date;
}

/** Windows over a cap: counted per customer from the sinks' own timestamps, one per distinct key. */
function capOverruns(
  customerId: string,
  messages: readonly Message[],
  policy: CapPolicy,
  timezone: string,
): CapViolation[] {
  const violations: CapViolation[] = [];
  for (const rule of policy.caps) {
    // Rules scoped to a playbook or tag need the message's playbook, which a sink does not see.
    if (rule.playbook !== undefined || rule.tag !== undefined) continue;
    const counted = messages.filter((m) => rule.channel === 'any' || m.channel === rule.channel);
    if ('rolling' in rule.window) {
      const span = rollingMs(rule.window.rolling);
      const sorted = [...counted].sort((a, b) => a.at.getTime() - b.at.getTime());
      for (let end = 0; end < sorted.length; end++) {
        const inWindow = sorted.filter(
          (m, i) => i <= end && m.at.getTime() > sorted[end]!.at.getTime() - span,
        );
        if (inWindow.length > rule.max) {
          violations.push({
            customerId,
            rule: ruleName(rule),
            window: `until ${sorted[end]!.at.toISOString()}`,
            count: inWindow.length,
            max: rule.max,
            keys: inWindow.map((m) => m.key),
          });
        }
      }
      continue;
    }
    const calendar = rule.window.calendar;
    const buckets = new Map<string, Message[]>();
    for (const m of counted) {
      const bucket =
        calendar === 'day' ? localDate(m.at, timezone) : localWeekStart(m.at, timezone, policy.weekStartsOn);
      buckets.set(bucket, [...(buckets.get(bucket) ?? []), m]);
    }
    for (const [bucket, inWindow] of buckets) {
      if (inWindow.length <= rule.max) continue;
      violations.push({
        customerId,
        rule: ruleName(rule),
        window: `${calendar} of ${bucket}`,
        count: inWindow.length,
        max: rule.max,
        keys: inWindow.map((m) => m.key),
      });
    }
  }
  return violations;
}

export function checkChaos(input: CheckInput): CheckResult {
  const customerByAddress = new Map<string, ChaosCustomer>();
  for (const c of input.customers) {
    customerByAddress.set(`email:${c.email.toLowerCase()}`, c);
    customerByAddress.set(`sms:${c.phone}`, c);
  }
  const customerOf = (channel: Channel, to: string): ChaosCustomer | undefined =>
    customerByAddress.get(`${channel}:${channel === 'email' ? to.toLowerCase() : to}`);

  let unattributed = 0;
  // First acceptance of each key, and how many copies of it arrived.
  const firstAccepted = new Map<string, { message: Message; customerId: string }>();
  const copies = new Map<string, number>();
  for (const m of input.accepted) {
    const customer = customerOf(m.channel, m.to);
    if (m.key === undefined || customer === undefined) {
      unattributed++;
      continue;
    }
    copies.set(m.key, (copies.get(m.key) ?? 0) + 1);
    const seen = firstAccepted.get(m.key);
    if (seen === undefined || m.acceptedAt < seen.message.at) {
      firstAccepted.set(m.key, {
        message: { key: m.key, channel: m.channel, at: m.acceptedAt },
        customerId: customer.customerId,
      });
    }
  }

  // An action is a distinct key a customer received, or one the provider refused for good (a bounce).
  const actionKeys = new Map<string, Set<string>>();
  const addAction = (customerId: string, channel: Channel, key: string): void => {
    const id = `${customerId}|${channel}`;
    actionKeys.set(id, (actionKeys.get(id) ?? new Set()).add(key));
  };
  for (const [key, { message, customerId }] of firstAccepted) addAction(customerId, message.channel, key);
  for (const r of input.refused) {
    const customer = customerOf(r.channel, r.to);
    if (!r.permanent) continue;
    if (r.key === undefined || customer === undefined) {
      unattributed++;
      continue;
    }
    addAction(customer.customerId, r.channel, r.key);
  }

  const lostActions: LostAction[] = [];
  let expectedActions = 0;
  for (const e of input.expected) {
    expectedActions += e.count;
    const got = actionKeys.get(`${e.customerId}|${e.channel}`)?.size ?? 0;
    if (got < e.count) lostActions.push({ ...e, expected: e.count, got });
  }

  const duplicateKeys: Duplicate[] = [];
  for (const [key, n] of copies) {
    if (n > 1) duplicateKeys.push({ key, copies: n, ambiguous: input.resentAfterCrash.has(key) });
  }
  const extra = (ambiguous: boolean): number =>
    duplicateKeys.filter((d) => d.ambiguous === ambiguous).reduce((sum, d) => sum + d.copies - 1, 0);

  const capViolationDetails: CapViolation[] = [];
  const byCustomer = new Map<string, Message[]>();
  for (const { message, customerId } of firstAccepted.values()) {
    byCustomer.set(customerId, [...(byCustomer.get(customerId) ?? []), message]);
    if (!input.reservedKeys.has(message.key)) {
      capViolationDetails.push({
        customerId,
        rule: 'no-reservation',
        window: message.at.toISOString(),
        count: 1,
        max: 0,
        keys: [message.key],
      });
    }
  }
  const timezones = new Map(input.customers.map((c) => [c.customerId, c.timezone ?? input.policy.timezone]));
  for (const [customerId, messages] of byCustomer) {
    const timezone = timezones.get(customerId) ?? input.policy.timezone;
    capViolationDetails.push(...capOverruns(customerId, messages, input.policy, timezone));
  }

  return {
    events: new Set(input.acknowledged.map((e) => e.eventId)).size,
    expectedActions,
    actions: [...actionKeys.values()].reduce((sum, keys) => sum + keys.size, 0),
    lost: lostActions.reduce((sum, l) => sum + l.expected - l.got, 0),
    lostActions,
    duplicates: extra(false),
    ambiguousDuplicates: extra(true),
    duplicateKeys,
    capViolations: capViolationDetails.length,
    capViolationDetails,
    unattributed,
  };
}
