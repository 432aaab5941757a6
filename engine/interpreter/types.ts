import type { JourneyEvent } from '../../schemas/events/schema';
import type { CapRule, QuietHours } from '../../schemas/policy/schema';
import type { Template } from '../../schemas/playbook/schema';
import type { Arm } from '../measurement/holdout';
import type { OfferDecision } from '../offers/offer';
import type { Product } from '../catalog/product';
import type { Profile } from '../profile/profile';

export type Channel = 'email' | 'sms';

/** Where a run is. JSON-safe: it crosses continue-as-new and is returned by the state query. */
export type Position =
  /** About to execute this step. */
  | { kind: 'at'; stepId: string }
  /** In a wait or waitUntil step; continues at `then` (null: the run completes). */
  | { kind: 'sleeping'; stepId: string; until: number; then: string | null }
  | { kind: 'waitingForEvent'; stepId: string; until: number }
  /** A send held back by quiet hours or a cap; retried at `until` under the same key. */
  | { kind: 'deferred'; stepId: string; until: number; since: number }
  /** Waiting for the driver to carry out an effect and report back. */
  | { kind: 'effect'; stepId: string; effect: Effect['type'] }
  | { kind: 'done' };

/** The contact policy a run applies to its sends: the workspace's, with the playbook's overrides. */
export interface RunPolicy {
  caps: CapRule[];
  quietHours: QuietHours[];
  /** Used when the profile has no timezone. */
  timezone: string;
  weekStartsOn: 'mon' | 'sun';
  maxDeferralMs: number;
  /** Channels where marketing needs an explicit opt-in. Optional: runs from before it have none. */
  marketingRequiresOptIn?: Channel[];
  /** Sends for one customer inside this window are ranked by priority. Absent (older runs): none. */
  arbitrationWindowMs?: number;
  /** Whether a profile without a timezone takes the phone number's. Absent (older runs): it does not. */
  timeZoneFromPhone?: boolean;
}

export type Outcome = { status: 'completed' } | { status: 'exited'; reason: string; eventId?: string };

export interface RunState {
  journeyId: string;
  /** `<playbookId>:<customerId>:<entryEventId>`: names the run in every idempotency key. */
  runKey: string;
  playbookId: string;
  playbookVersion: number;
  customerId: string;
  arm: Arm;
  /** The event that entered the run, or the latest repeat of it when the playbook refreshes. */
  trigger: JourneyEvent;
  entryEventId: string;
  enteredAt: number;
  deadline: number;
  profile?: Profile;
  offer?: OfferDecision | null;
  position: Position;
  paused: boolean;
  /** How often each step was entered: a step revisited by a branch gets a new idempotency key. */
  visits: Record<string, number>;
  seenEventIds: string[];
  /** Events that arrived while the run was busy with a step, applied at its next waiting point. */
  deferredEvents?: JourneyEvent[];
  outcome?: Outcome;
  /** The effect the run waits on (position `effect`), kept until its result arrives. */
  pendingEffect?: Effect;
  /** Absent on runs started before contact policies existed: they send as they always did. */
  policy?: RunPolicy;
  /** The send that waits on its cap reservation. */
  plannedDelivery?: Effect;
  /** When the current send was first deferred, for the policy's maximum deferral. */
  deferredSince?: number;
  /** When the current send's arbitration window closes, once it has been asked to wait for it. */
  arbitrationUntil?: number;
}

/** An effect the driver carries out (activity in the workflow, in-memory in the simulator). */
export type Effect =
  | { type: 'loadProfile'; stepId: string }
  /** The catalog state a send's recheck reads; issued after its profile load, only when it reads any. */
  | { type: 'loadProducts'; stepId: string; skus: string[] }
  | {
      type: 'decideOffer';
      stepId: string;
      kinds?: OfferDecision['kind'][];
      /** How the step weighs short-term revenue against long-term value; absent, equally. */
      value?: { shortTerm: number; longTerm: number };
    }
  | {
      type: 'deliver';
      stepId: string;
      idempotencyKey: string;
      action: 'send' | 'suppress';
      channel?: Channel;
      to?: string;
      reason?: string;
      template: Template;
      purpose: 'marketing' | 'transactional';
    }
  | {
      type: 'reserveSlot';
      stepId: string;
      idempotencyKey: string;
      channel: Channel;
      transactional: boolean;
      caps: CapRule[];
      calendar: { timeZone: string; weekStartsOn: 'mon' | 'sun' };
      /** The playbook's tags, for caps on a tag. */
      tags?: string[];
      /** Priority arbitration; absent on runs from before it (first come, first served). */
      arbitration?: { windowMs: number; priority: number; expectedValue: number };
    }
  | {
      type: 'updateProfile';
      stepId: string;
      set?: Record<string, string | number | boolean>;
      addTags?: string[];
      removeTags?: string[];
    };

/** What the driver reports back, or what arrives from outside. */
export type RunInput =
  | { kind: 'event'; event: JourneyEvent }
  | { kind: 'wake' }
  | { kind: 'profileLoaded'; profile: Profile }
  /** The products asked for that the catalog knows; an unknown SKU is left out. */
  | { kind: 'productsLoaded'; products: Product[] }
  | { kind: 'offerDecided'; offer: OfferDecision | null }
  | { kind: 'delivered'; status: 'sent' | 'suppressed' | 'failed'; reason?: string }
  | { kind: 'profileUpdated' }
  | { kind: 'slotReserved' }
  /**
   * `rule` describes the cap, e.g. `email ≤ 1 per day`, and `count` what it counted; `winner` is the
   * playbook that took the slot in the same arbitration window, when that is why.
   */
  | { kind: 'slotRefused'; rule: string; freesAt: number; count?: number; winner?: string }
  /** The send waits for its arbitration window to close; ask again at `until`. */
  | { kind: 'slotPending'; until: number }
  /** Operator actions; `reason` and `by` are absent on runs from before they were recorded. */
  | { kind: 'pause'; reason?: string; by?: string }
  | { kind: 'resume'; reason?: string; by?: string }
  | { kind: 'exit'; reason: string; by?: string };

export type DecisionAction =
  'enter' | 'send' | 'suppress' | 'defer' | 'exit' | 'holdout' | 'pause' | 'resume';

/** One line of the decision log; the workflow and the simulator produce the same ones. */
export interface Decision {
  at: string;
  customerId: string;
  playbookId: string;
  step: string | null;
  action: DecisionAction;
  channel?: Channel;
  reason?: string;
  offerId?: string;
  /** The cap that refused or deferred a send, in words, e.g. `email ≤ 1 per day`. */
  rule?: string;
  /** What that cap counted when it refused. */
  count?: number;
  /** The playbook that won a priority arbitration this run lost. */
  winner?: string;
  /** Who took an operator action (pause, resume, exit), when they said. */
  by?: string;
}

export interface StepResult {
  state: RunState;
  /** At most one effect is outstanding; the run waits for its result before going on. */
  effect?: Effect;
  decisions: Decision[];
}
