import type { CapRule } from '../../schemas/policy/schema';
import {
  capApplies,
  checkCaps,
  longestWindow,
  type CalendarContext,
  type CapDecision,
  type LedgerEntry,
  type SendCandidate,
} from './frequencyCaps';

/*
 * Priority arbitration: when several playbooks want one customer inside the arbitration window, the
 * highest priority goes first, then the higher expected value. A send that would take the last slot
 * under a cap waits for the window to close; every send that arrives meanwhile joins it, and at the
 * close they are ranked and granted in order. A send that leaves room under every cap it counts
 * against goes at once: no later send, whatever its priority, can be starved by it.
 *
 * Pure: the MongoDB ledger (one document per customer, compare-and-set) and the simulator's
 * in-memory ledger both call `requestSlot`.
 */

export type Refusal = Extract<CapDecision, { ok: false }>;

export type IntentVerdict =
  | { granted: true; at: number }
  /** `winner`: the playbook whose send took the slot in the same window, when that is why. */
  | { granted: false; at: number; refusal: Refusal; winner?: string };

/** A send waiting for its arbitration window to close. */
export interface SendIntent {
  key: string;
  candidate: SendCandidate;
  priority: number;
  expectedValue: number;
  arrivedAt: number;
  /** When the window closes and its sends are ranked. */
  decideAt: number;
  /** Each run brings its own caps (playbook overrides differ) and the customer's calendar. */
  rules: CapRule[];
  calendar: CalendarContext;
  verdict?: IntentVerdict;
}

export interface CustomerLedger {
  entries: LedgerEntry[];
  intents: SendIntent[];
}

export interface SlotRequest {
  /** The send's idempotency key: asking again with it gets the same answer. */
  key: string;
  candidate: SendCandidate;
  priority: number;
  expectedValue: number;
  rules: CapRule[];
  calendar: CalendarContext;
  /** 0: no arbitration, first come first served (runs from before arbitration existed). */
  windowMs: number;
  now: number;
  /** Entries older than this can no longer count under any cap and are dropped on the next write. */
  horizon: number;
}

/** A send's question to the ledger as its callers put it: arbitration absent means first come, first served. */
export interface SlotAsk {
  key: string;
  candidate: SendCandidate;
  rules: readonly CapRule[];
  calendar: CalendarContext;
  now: number;
  windowMs?: number;
  priority?: number;
  expectedValue?: number;
}

/**
 * The full request, with the defaults and the pruning horizon filled in once, so the MongoDB ledger
 * and the simulator's in-memory one ask exactly the same question.
 */
export function slotRequestOf(ask: SlotAsk): SlotRequest {
  return {
    key: ask.key,
    candidate: ask.candidate,
    rules: [...ask.rules],
    calendar: ask.calendar,
    now: ask.now,
    windowMs: ask.windowMs ?? 0,
    priority: ask.priority ?? 0,
    expectedValue: ask.expectedValue ?? 0,
    horizon: ask.now - longestWindow(ask.rules),
  };
}

export type SlotAnswer =
  | { status: 'reserved'; duplicate: boolean }
  | { status: 'refused'; refusal: Refusal; winner?: string }
  /** Ask again, with the same key, at `decideAt`. */
  | { status: 'pending'; decideAt: number };

/** Decided intents are kept this long for runs that come back late to read their verdict. */
const VERDICT_RETENTION_MS = 86_400_000;

/**
 * Answers one request against a customer's ledger. `next` is the ledger to commit (compare-and-set
 * against the one read); absent, nothing changed.
 */
export function requestSlot(
  ledger: CustomerLedger,
  request: SlotRequest,
): { answer: SlotAnswer; next?: CustomerLedger } {
  const { key, candidate, now } = request;
  if (ledger.entries.some((e) => e.key === key)) return { answer: { status: 'reserved', duplicate: true } };
  // A re-planned send that switched channel (consent changed meanwhile) is a new request, and so is
  // one that comes back, deferred, once the cap that refused it has freed up.
  const own = ledger.intents.find(
    (i) =>
      i.key === key &&
      i.candidate.channel === candidate.channel &&
      !(i.verdict && !i.verdict.granted && now >= i.verdict.refusal.freesAt),
  );
  if (own?.verdict) return { answer: answerOf(own.verdict) };
  const others = ledger.intents.filter((i) => i.key !== key);

  if (!own) {
    const waiting = others.filter((i) => !i.verdict && i.decideAt > now);
    const direct =
      candidate.transactional ||
      request.windowMs <= 0 ||
      (waiting.length === 0 && leavesRoom(request, ledger.entries));
    if (direct) {
      const decision = checkCaps(request.rules, ledger.entries, candidate, now, request.calendar);
      if (!decision.ok) return { answer: { status: 'refused', refusal: decision } };
      const entries = [...ledger.entries, { ...candidate, at: now, key }];
      return {
        answer: { status: 'reserved', duplicate: false },
        next: prune({ entries, intents: others }, request),
      };
    }
    // Join the window already open for this customer, or open one.
    const decideAt =
      waiting.length > 0 ? Math.min(...waiting.map((i) => i.decideAt)) : now + request.windowMs;
    const intent: SendIntent = {
      key,
      candidate,
      priority: request.priority,
      expectedValue: request.expectedValue,
      arrivedAt: now,
      decideAt,
      rules: request.rules,
      calendar: request.calendar,
    };
    return {
      answer: { status: 'pending', decideAt },
      next: prune({ entries: ledger.entries, intents: [...others, intent] }, request),
    };
  }
  if (now < own.decideAt) return { answer: { status: 'pending', decideAt: own.decideAt } };

  const next = prune(decideDue(ledger, now), request);
  const verdict = next.intents.find((i) => i.key === key)?.verdict;
  if (!verdict) throw new Error(`arbitration left send ${key} undecided`);
  return { answer: answerOf(verdict), next };
}

/** Whether taking this slot still leaves one under every cap the send counts against. */
function leavesRoom(request: SlotRequest, entries: readonly LedgerEntry[]): boolean {
  const { candidate, now, key } = request;
  const taken = [...entries, { ...candidate, at: now, key }];
  return checkCaps(request.rules, taken, candidate, now, request.calendar).ok;
}

/** Sends in a closed window, best first: priority, then expected value, then who asked first. */
export function rank(a: SendIntent, b: SendIntent): number {
  return (
    b.priority - a.priority ||
    b.expectedValue - a.expectedValue ||
    a.arrivedAt - b.arrivedAt ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/** Grants the waiting sends whose window has closed, best first, each against the caps as they fill. */
export function decideDue(ledger: CustomerLedger, now: number): CustomerLedger {
  const due = ledger.intents.filter((i) => !i.verdict && i.decideAt <= now).sort(rank);
  const entries = [...ledger.entries];
  const granted: SendIntent[] = [];
  const verdicts = new Map<string, IntentVerdict>();
  for (const intent of due) {
    const decision = checkCaps(intent.rules, entries, intent.candidate, now, intent.calendar);
    if (decision.ok) {
      entries.push({ ...intent.candidate, at: now, key: intent.key });
      granted.push(intent);
      verdicts.set(intent.key, { granted: true, at: now });
      continue;
    }
    // Refused because a better send in the same window took the slot, or by the caps as they were?
    const alone = checkCaps(intent.rules, ledger.entries, intent.candidate, now, intent.calendar);
    const winner = alone.ok
      ? (granted.find((g) => capApplies(decision.rule, g.candidate)) ?? granted[0])?.candidate.playbookId
      : undefined;
    verdicts.set(intent.key, {
      granted: false,
      at: now,
      refusal: decision,
      ...(winner !== undefined && { winner }),
    });
  }
  const intents = ledger.intents.map((i) => {
    const verdict = verdicts.get(i.key);
    return verdict ? { ...i, verdict } : i;
  });
  return { entries, intents };
}

function prune(ledger: CustomerLedger, request: SlotRequest): CustomerLedger {
  return {
    entries: ledger.entries.filter((e) => e.at > request.horizon),
    intents: ledger.intents.filter((i) => !i.verdict || i.verdict.at > request.now - VERDICT_RETENTION_MS),
  };
}

function answerOf(verdict: IntentVerdict): SlotAnswer {
  // The verdict is news to the run that reads it, even when another run's call decided it.
  return verdict.granted
    ? { status: 'reserved', duplicate: false }
    : {
        status: 'refused',
        refusal: verdict.refusal,
        ...(verdict.winner !== undefined && { winner: verdict.winner }),
      };
}
