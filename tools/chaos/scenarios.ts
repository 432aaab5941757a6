import { setTimeout as sleep } from 'node:timers/promises';
import type { Rng } from '../demo/rng';
import type { Playbook } from '../../schemas/playbook/schema';
import type { CapPolicy, ChaosCustomer, ExpectedActions } from './check';
import { cartUpdated, chaosCustomer, checkoutStarted, productViewed, type ChaosEvent } from './events';
import type { PlannedEvent } from './load';
import { CART_PLAYBOOKS, CONTENTION_PLAYBOOKS } from './playbooks';
import type { ChaosStack } from './stack';
import type { WorkerSupervisor } from './worker';

export interface ScenarioPlan {
  customers: ChaosCustomer[];
  load: PlannedEvent[];
  expected: ExpectedActions[];
}

export interface FaultContext {
  stack: ChaosStack;
  worker: WorkerSupervisor;
  /** Resolves when every planned publish has been acknowledged. */
  loadDone: Promise<unknown>;
  log: (line: string) => void;
}

export interface Scenario {
  id: number;
  name: string;
  arbitrationWindow: string;
  playbooks: readonly Playbook[];
  /** Extra worker environment (e.g. a short Twilio timeout). */
  workerEnv?: Record<string, string>;
  /** Events in the load (`--events` overrides it). */
  events: number;
  plan(rng: Rng, tag: string, policy: CapPolicy, events: number): ScenarioPlan;
  /** Runs alongside the load; resolves with a line saying what it injected. */
  faults(context: FaultContext, rng: Rng): Promise<string>;
  /** How long the engine gets to finish after the load before the check. */
  settleMaxMs: number;
}

/** Every event a fresh customer's cart.updated, at a steady rate: one email and one SMS owed each. */
function cartLoad(
  tag: string,
  count: number,
  perSecond: number,
  copies: (i: number) => number[] = () => [],
): ScenarioPlan {
  const customers = Array.from({ length: count }, (_, i) => chaosCustomer(tag, i));
  const load = customers.map((c, i) => ({
    event: cartUpdated(c.customerId, `${tag}-e${i}`),
    at: Math.round((i * 1000) / perSecond),
    copies: copies(i),
  }));
  const expected = customers.flatMap((c, i) =>
    (['email', 'sms'] as const).map((channel) => ({
      customerId: c.customerId,
      channel,
      count: 1,
      eventIds: [`${tag}-e${i}`],
    })),
  );
  return { customers, load, expected };
}

const noFaults = (): Promise<string> => Promise.resolve('none');

/** The accepting sink's hook kills the worker between the provider's accept and its reply. */
async function killInsideProviderCall(context: FaultContext, channel: 'email' | 'sms'): Promise<boolean> {
  const sink = channel === 'email' ? context.stack.smtp : context.stack.twilio;
  const fired = new Promise<boolean>((resolveFired) => {
    sink.onAccepted(async () => {
      sink.onAccepted(undefined);
      await context.worker.killNow();
      resolveFired(true);
    });
  });
  const timedOut = sleep(20_000).then(() => false);
  const inside = await Promise.race([fired, timedOut]);
  if (!inside) {
    sink.onAccepted(undefined);
    await context.worker.killNow();
  }
  await context.worker.restartIfDown();
  return inside;
}

/**
 * Events per second. Modest on purpose: FerretDB over SQLite on two shared cores completes a few
 * journeys a second, and a backlog would only measure the queue, not the faults.
 */
const RATE = 5;
/** A hard bound on settling; settle() stops earlier once nothing progresses for 75 s. */
const SETTLE_MAX_MS = 300_000;
const KILLS = 20;
const AIMED_KILLS = 6;

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 1,
    name: 'worker SIGKILLed 20 times',
    arbitrationWindow: '0s',
    playbooks: CART_PLAYBOOKS,
    events: 100,
    plan: (_rng, tag, _policy, events) => cartLoad(tag, events, RATE),
    async faults(context, rng) {
      // Some of the kills land between the provider's accept and the worker learning of it.
      const aimed = new Set<number>();
      while (aimed.size < AIMED_KILLS) aimed.add(rng.int(0, KILLS - 1));
      let inside = 0;
      for (let k = 0; k < KILLS; k++) {
        await sleep(rng.int(200, 1_000));
        if (aimed.has(k)) {
          if (await killInsideProviderCall(context, k % 2 === 0 ? 'email' : 'sms')) inside++;
        } else {
          await context.worker.killAndRestart();
        }
      }
      return `${context.worker.kills} SIGKILLs, ${inside} between a provider's accept and its reply`;
    },
    settleMaxMs: SETTLE_MAX_MS,
  },
  {
    id: 2,
    name: 'Temporal dev server kill -9 and restart',
    arbitrationWindow: '0s',
    playbooks: CART_PLAYBOOKS,
    events: 100,
    plan: (_rng, tag, _policy, events) => cartLoad(tag, events, RATE),
    async faults(context, rng) {
      await sleep(rng.int(8_000, 15_000));
      await context.stack.killTemporal();
      const downMs = rng.int(3_000, 8_000);
      context.log(`  Temporal dev server killed; restarting in ${downMs} ms`);
      await sleep(downMs);
      const restarting = Date.now();
      await context.stack.restartTemporal();
      await context.worker.restartIfDown();
      return `kill -9 Temporal, down ${downMs} ms, restart took ${Date.now() - restarting} ms`;
    },
    settleMaxMs: SETTLE_MAX_MS,
  },
  {
    id: 3,
    name: 'FerretDB stopped for 30 s',
    arbitrationWindow: '0s',
    playbooks: CART_PLAYBOOKS,
    events: 100,
    plan: (_rng, tag, _policy, events) => cartLoad(tag, events, RATE),
    async faults(context, rng) {
      await sleep(rng.int(5_000, 10_000));
      await context.stack.killFerretDb();
      context.log('  FerretDB killed for 30 s');
      await sleep(30_000);
      await context.stack.restartFerretDb();
      await context.worker.restartIfDown();
      return 'FerretDB down 30 s';
    },
    settleMaxMs: SETTLE_MAX_MS,
  },
  {
    id: 4,
    name: 'SMTP 421/451, 550, drop after DATA',
    arbitrationWindow: '0s',
    playbooks: CART_PLAYBOOKS,
    events: 100,
    plan: (_rng, tag, _policy, events) => cartLoad(tag, events, RATE),
    async faults(context, rng) {
      const cycle = [
        { kind: 'reply', code: 421, message: 'service not available' },
        { kind: 'reply', code: 451, message: 'try again later' },
        { kind: 'reply', code: 550, message: 'mailbox unavailable' },
        { kind: 'accept-then-drop' },
      ] as const;
      let injected = 0;
      let done = false;
      void context.loadDone.then(() => (done = true));
      while (!done) {
        context.stack.smtp.injectFaults(cycle[injected % cycle.length]!);
        injected++;
        await sleep(rng.int(300, 1_200));
      }
      return `${injected} SMTP faults (421, 451, 550, drop after DATA in turn)`;
    },
    settleMaxMs: SETTLE_MAX_MS,
  },
  {
    id: 5,
    name: 'Twilio 429, 500, timeout after accept',
    arbitrationWindow: '0s',
    playbooks: CART_PLAYBOOKS,
    workerEnv: { TWILIO_TIMEOUT_MS: '2000' },
    events: 100,
    plan: (_rng, tag, _policy, events) => cartLoad(tag, events, RATE),
    async faults(context, rng) {
      const cycle = [
        { kind: 'status', status: 429 },
        { kind: 'status', status: 500 },
        // Longer than the worker's 2 s Twilio timeout: the message is stored, the caller gives up.
        { kind: 'accept-then-hang', ms: 4_000 },
      ] as const;
      let injected = 0;
      let done = false;
      void context.loadDone.then(() => (done = true));
      while (!done) {
        context.stack.twilio.injectFaults(cycle[injected % cycle.length]!);
        injected++;
        await sleep(rng.int(300, 1_200));
      }
      return `${injected} Twilio faults (429, 500, timeout after accept in turn)`;
    },
    settleMaxMs: SETTLE_MAX_MS,
  },
  {
    id: 6,
    name: 'every event published 2-5 times',
    arbitrationWindow: '0s',
    playbooks: CART_PLAYBOOKS,
    events: 100,
    plan: (rng, tag, _policy, events) =>
      cartLoad(tag, events, RATE, () =>
        // 1-4 more copies, some at the same moment, some a little later.
        Array.from({ length: rng.int(1, 4) }, () => (rng.chance(0.5) ? 0 : rng.int(50, 3_000))),
      ),
    faults: noFaults,
    settleMaxMs: SETTLE_MAX_MS,
  },
  {
    id: 7,
    name: '50 simultaneous events per customer',
    arbitrationWindow: '3s',
    playbooks: CONTENTION_PLAYBOOKS,
    events: 100,
    plan: (rng, tag, policy, events) => contentionPlan(rng, tag, policy, events),
    faults: noFaults,
    settleMaxMs: SETTLE_MAX_MS,
  },
];

const EVENTS_PER_CUSTOMER = 50;

/** How many of a channel the day's caps let one customer receive, counting `any` caps too. */
function dailySlots(policy: CapPolicy, channel: 'email' | 'sms'): number {
  const limits = policy.caps
    .filter((rule) => rule.playbook === undefined && rule.tag === undefined)
    .filter((rule) => rule.channel === channel || rule.channel === 'any')
    .map((rule) => rule.max);
  return Math.min(...limits);
}

/** For several customers, 50 events at once across three playbook triggers: more candidates than slots. */
function contentionPlan(rng: Rng, tag: string, policy: CapPolicy, events: number): ScenarioPlan {
  const count = Math.max(1, Math.round(events / EVENTS_PER_CUSTOMER));
  const customers = Array.from({ length: count }, (_, i) => chaosCustomer(tag, i));
  const load: PlannedEvent[] = [];
  const expected: ExpectedActions[] = [];
  customers.forEach((c, ci) => {
    const events: ChaosEvent[] = Array.from({ length: EVENTS_PER_CUSTOMER }, (_, k) => {
      const eventId = `${tag}-c${ci}-e${k}`;
      return rng.pick([cartUpdated, productViewed, checkoutStarted])(c.customerId, eventId);
    });
    // All of one customer's events at the same moment; customers apart, so each burst is its own.
    for (const event of events) load.push({ event, at: ci * 10_000, copies: [] });
    const candidates = (channel: 'email' | 'sms') =>
      events.filter((e) =>
        channel === 'email' ? e.type !== 'product.viewed' : e.type !== 'checkout.started',
      );
    for (const channel of ['email', 'sms'] as const) {
      const owed = candidates(channel);
      expected.push({
        customerId: c.customerId,
        channel,
        count: Math.min(owed.length, dailySlots(policy, channel)),
        eventIds: owed.map((e) => e.eventId),
      });
    }
  });
  // The `any` cap must leave room for one of each channel, or the owed counts above overstate.
  const anyDaily = Math.min(
    ...policy.caps.filter((r) => r.channel === 'any' && 'calendar' in r.window).map((r) => r.max),
  );
  if (anyDaily < dailySlots(policy, 'email') + dailySlots(policy, 'sms')) {
    throw new Error('scenario 7 assumes the any-channel daily cap fits one email and one SMS');
  }
  return { customers, load, expected };
}
