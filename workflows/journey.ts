import {
  ActivityFailure,
  condition,
  continueAsNew,
  allHandlersFinished,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { JourneyActivities } from '../activities';
import type { RecordDecisionsInput } from '../activities/recordDecisions';
import type { Arm } from '../engine/measurement/holdout';
import { normaliseEvent } from '../engine/events/normalise';
import { normaliseRunInput, normaliseRunState } from '../engine/events/normaliseRun';
import { legacyRunKey, runKey } from '../engine/ids/journeyKeys';
import { applyInput, nextWakeAt, startRun } from '../engine/interpreter/run';
import { offerRequest } from '../engine/interpreter/offerRequest';
import { slotInput, slotRequest } from '../engine/interpreter/slotReservation';
import { upgradePlaybook } from '../engine/interpreter/upgradePlaybook';
import type {
  Decision,
  Effect,
  Outcome,
  RunInput,
  RunPolicy,
  RunState,
  StepResult,
} from '../engine/interpreter/types';
import type { JourneyEvent } from '../schemas/events/schema';
import type { AnyPlaybookForm } from '../schemas/playbook/schemaV1';
import type { Profile } from '../engine/profile/profile';
import { profileForMessage } from '../engine/profile/personalization';
import { renderMessage } from '../engine/template/message';
import { markdownText } from '../engine/render/markdownText';
import { eventSignal, exitUpdate, pauseUpdate, resumeUpdate, stateQuery } from './messages';
import { operatorRequest } from './operatorRequest';
import { Arm as ArmAttribute, Step } from './searchAttributes';

const RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '5 minutes',
};

/** The sends: activities on the task queue, each with its own timeout and retries, seen as such in the UI. */
const activities = proxyActivities<JourneyActivities>({ startToCloseTimeout: '30 seconds', retry: RETRY });

/**
 * Everything else a run does (profile and product reads, offer decisions, cap reservations,
 * decision records) is a short MongoDB call: run in the workflow task as local activities, they
 * cost the Temporal server no task and no round trip each. Measured on the dev server: the first
 * send of a run took six workflow tasks and five activity tasks before, two and one after.
 */
const localActivities = proxyLocalActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: RETRY,
});

/**
 * One patch for both halves of the batched workflow task (store calls as local activities, search
 * attributes once per task): each patch costs every new run a marker and a TemporalChangeVersion
 * upsert of its own. Runs from before it scheduled every activity on the task queue and upserted
 * at every step; replaying them must again.
 */
const BATCHED_TASKS = 'batched-workflow-tasks';

function storeActivities(): typeof activities {
  return patched(BATCHED_TASKS) ? localActivities : activities;
}

export interface JourneyInput {
  /** Bumped when the input's shape changes, so old runs can be told apart from new ones. */
  schemaVersion: 1;
  /**
   * The definition frozen at entry: edits and new versions only affect new runs. Runs from before
   * playbook schemaVersion 2 hold the form before it, read through upgradePlaybook.
   */
  playbook: AnyPlaybookForm;
  customerId: string;
  arm: Arm;
  trigger: JourneyEvent;
  /** The contact policy for this run's sends, frozen at entry; absent on runs from before policies. */
  policy?: RunPolicy;
  /** Continue-as-new hands the run over here; absent on a fresh entry. */
  resume?: { state: RunState; decisions: Decision[]; inbox: RunInput[]; recordedDecisions?: number };
  /** Continue-as-new once history has this many events (default: when the server suggests it). */
  continueAsNewAfter?: number;
}

export interface JourneyResult {
  outcome: Outcome;
  /** The decision log (the latest 500), as the simulator would print it. */
  decisions: Decision[];
}

const DECISION_LIMIT = 500;

/** Patch IDs of behaviour changes to live runs; remove one only once no run started before it exists. */
const SEARCH_ATTRIBUTES_ON_CHANGE = 'search-attributes-on-change';

const DECISION_RECORDS = 'decision-records';

/**
 * One patch for the ways a workflow task now calls fewer local activities, each of which cost the
 * worker an activation, the store a round trip and the history a marker:
 * - decisions are written once per task, when the run hands control back, not before each store
 *   call: the store calls of one task run back to back, and a task that fails is redone as a whole,
 *   so an earlier write bought nothing. A send (an activity on the task queue, where the task ends)
 *   carries them and writes them before calling the provider; a wait, a hand-over or the end
 *   writes them with recordDecisions;
 * - a send step reuses the profile read earlier in the same task (no update in between) instead of
 *   reading it again: the fresh read is there for runs that waited.
 * Runs from before it did neither; replaying them must again.
 */
const FEWER_LOCAL_ACTIVITIES = 'fewer-local-activities';

/**
 * Message keys with escaped parts (engine/ids/idParts). Asked only when the escaped key differs from the
 * old one (a `:`, `%`, `~` or control character in the customer ID), so other runs
 * carry no marker: a run started before it keeps the key its sends were recorded under.
 */
const INJECTIVE_RUN_KEY = 'injective-run-key';

function usesLegacyRunKey(input: JourneyInput): boolean {
  const { playbook, customerId, trigger } = input;
  const legacy = legacyRunKey(playbook.id, customerId, trigger.eventId);
  return legacy !== runKey(playbook.id, customerId, trigger.eventId) && !patched(INJECTIVE_RUN_KEY);
}

/**
 * The run's input with its events in today's form (engine/events/normaliseRun.ts): a run started
 * before the renames of issue 15, or handed over by one, recorded them in the old form. Pure and
 * without a patch: it changes no command, since the engine reads old names as the new ones.
 */
function inTodaysForm(input: JourneyInput): JourneyInput {
  return {
    ...input,
    trigger: normaliseEvent(input.trigger),
    ...(input.resume && {
      resume: {
        ...input.resume,
        state: normaliseRunState(input.resume.state),
        inbox: input.resume.inbox.map(normaliseRunInput),
      },
    }),
  };
}

/**
 * Pause and resume are recorded as decisions (with the reason and who), a paused run shows
 * Step = 'paused', so Ops can list paused runs, and an input that ends a wait no longer logs the
 * decisions before the wait again. Runs from before it did none of this.
 */
const OPERATOR_ACTIONS = 'operator-actions';

/** Who and why as the run's input carries them: only what was given, never an `undefined` field. */
function operatorInput(request: { reason?: string; by?: string }): { reason?: string; by?: string } {
  return {
    ...(request.reason !== undefined && { reason: request.reason }),
    ...(request.by !== undefined && { by: request.by }),
  };
}

/**
 * Every playbook runs on this one workflow: it feeds the pure interpreter events, time and the
 * results of effects, and carries out the effects through activities. It decides nothing itself.
 */
export async function journeyWorkflow(recorded: JourneyInput): Promise<JourneyResult> {
  const input = inTodaysForm(recorded);
  // Pure and total, so a replay reads the same definition; the interpreter sees only the current form.
  const playbook = upgradePlaybook(input.playbook);
  const inbox: RunInput[] = [...(input.resume?.inbox ?? [])];
  const decisions: Decision[] = [...(input.resume?.decisions ?? [])];
  // A resumed run goes through the interpreter once, which re-issues any effect it was waiting on.
  let result: StepResult = input.resume
    ? applyInput(playbook, input.resume.state, { kind: 'wake' }, Date.now())
    : startRun(
        {
          playbook,
          journeyId: workflowInfo().workflowId,
          customerId: input.customerId,
          trigger: input.trigger,
          arm: input.arm,
          ...(input.policy !== undefined && { policy: input.policy }),
          ...(usesLegacyRunKey(input) && { legacyRunKey: true }),
        },
        Date.now(),
      );
  let state = result.state;
  const done = () => state.position.kind === 'done';
  const ledger = new DecisionLedger(input.resume?.recordedDecisions ?? 0);

  // A signal recorded before the renames of issue 15 carries the event in the old form.
  setHandler(eventSignal, (event) => void inbox.push({ kind: 'event', event: normaliseEvent(event) }));
  setHandler(stateQuery, () => state);
  // Each request is checked in the validator, so a bad one is rejected with the reason and never
  // reaches the history; the handler then reads what the validator accepted.
  setHandler(
    pauseUpdate,
    async (request) => {
      inbox.push({ kind: 'pause', ...operatorInput(operatorRequest('pause', request)) });
      await condition(() => state.paused || done());
      return state;
    },
    {
      validator: (request) => {
        operatorRequest('pause', request);
        rejectUnless(!done() && !state.paused, 'the run is already paused or has ended');
      },
    },
  );
  setHandler(
    resumeUpdate,
    async (request?: unknown) => {
      inbox.push({ kind: 'resume', ...operatorInput(operatorRequest('resume', request)) });
      await condition(() => !state.paused || done());
      return state;
    },
    {
      validator: (request?: unknown) => {
        operatorRequest('resume', request);
        rejectUnless(!done() && state.paused, 'the run is not paused');
      },
    },
  );
  setHandler(
    exitUpdate,
    async (request) => {
      const { reason = '', by } = operatorRequest('exit', request);
      inbox.push({ kind: 'exit', reason, ...operatorInput({ by }) });
      await condition(done);
      return state;
    },
    {
      validator: (request) => {
        operatorRequest('exit', request);
        rejectUnless(!done(), 'the run has already ended');
      },
    },
  );
  if (patched(BATCHED_TASKS)) searchAttributes.arm = state.arm;
  else upsertSearchAttributes([{ key: ArmAttribute, value: state.arm }]);

  for (;;) {
    state = result.state;
    decisions.push(...result.decisions);
    ledger.add(result.decisions);
    if (decisions.length > DECISION_LIMIT) decisions.splice(0, decisions.length - DECISION_LIMIT);
    show(state);
    if (done()) break;

    // Hand over to a fresh run between effects, carrying unprocessed inputs: a steady stream of
    // events may never leave the inbox empty, so this cannot wait for an idle moment.
    if (!result.effect && historyIsLarge(input)) {
      await ledger.flush(state);
      publishSearchAttributes();
      await condition(allHandlersFinished);
      await continueAsNew<typeof journeyWorkflow>({
        ...input,
        resume: { state, decisions, inbox: [...inbox], recordedDecisions: ledger.recorded },
      });
    }
    // Inputs that arrived meanwhile go first: a pause or an exit must win over a pending send.
    const queued = inbox.shift();
    if (queued) {
      result = applyInput(playbook, state, queued, Date.now());
      // Runs from before OPERATOR_ACTIONS recorded no pause or resume: replaying them must not.
      if ((queued.kind === 'pause' || queued.kind === 'resume') && !patched(OPERATOR_ACTIONS))
        result = { ...result, decisions: result.decisions.filter((d) => d.action !== queued.kind) };
      continue;
    }
    if (result.effect) {
      // Store calls are local activities within the workflow task, so the decisions wait for the
      // task's end; a send (an activity on the task queue: the task ends there) carries them.
      // Runs from before FEWER_LOCAL_ACTIVITIES wrote them before every effect.
      const perTask = patched(FEWER_LOCAL_ACTIVITIES);
      if (!perTask) await ledger.flush(state);
      // A send is an activity on the task queue: the workflow task ends here.
      if (result.effect.type === 'deliver') publishSearchAttributes();
      const performed = await perform(result.effect, state, perTask ? ledger : undefined);
      result = applyInput(playbook, state, performed, Date.now());
      continue;
    }
    await ledger.flush(state);
    publishSearchAttributes();
    const wakeAt = nextWakeAt(state);
    const arrived =
      wakeAt === undefined
        ? await condition(() => inbox.length > 0).then(() => true)
        : await condition(() => inbox.length > 0, Math.max(wakeAt - Date.now(), 1));
    if (!arrived) result = applyInput(playbook, state, { kind: 'wake' }, Date.now());
    // An input ended the wait: the loop goes round to take it from the inbox, and must not log the
    // last result's decisions a second time (before OPERATOR_ACTIONS it did, so a decision made just
    // before a wait, a pause say, was recorded twice when an event or a resume came in).
    else if (patched(OPERATOR_ACTIONS)) result = { state, decisions: [] };
  }
  await ledger.flush(state);
  publishSearchAttributes();
  await condition(allHandlersFinished);
  return { outcome: state.outcome ?? { status: 'completed' }, decisions };
}

/**
 * Writes the run's decisions to MongoDB before the run waits on anything, numbered in order so a
 * retried activity or a replay writes the same records. Runs from before the patch kept them only
 * in memory; replaying those schedules no activity.
 */
class DecisionLedger {
  private pending: Decision[] = [];
  constructor(public recorded: number) {}

  add(decisions: readonly Decision[]): void {
    this.pending.push(...decisions);
  }

  async flush(state: RunState): Promise<void> {
    const batch = this.take(state);
    if (batch) await storeActivities().recordDecisions(batch);
  }

  /**
   * The pending decisions, numbered, for whoever writes them: flush, or a send that carries them
   * (FEWER_LOCAL_ACTIVITIES). Counted as recorded from here: the writing activity is retried until
   * it succeeds, and a replay hands the same batch to the same activity.
   */
  take(state: RunState): RecordDecisionsInput | undefined {
    if (this.pending.length === 0 || !patched(DECISION_RECORDS)) return undefined;
    const batch = {
      journeyId: state.journeyId,
      entryEventId: state.entryEventId,
      playbookVersion: state.playbookVersion,
      firstSeq: this.recorded,
      decisions: this.pending,
    };
    this.pending = [];
    this.recorded += batch.decisions.length;
    return batch;
  }
}

function rejectUnless(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

function historyIsLarge(input: JourneyInput): boolean {
  const info = workflowInfo();
  return input.continueAsNewAfter !== undefined
    ? info.historyLength >= input.continueAsNewAfter
    : info.continueAsNewSuggested;
}

/**
 * The profile this run last read, and in which workflow task: the history's length when the task
 * started, which the local activities of a task do not change (their markers are written when it
 * completes) and a new task always does (FEWER_LOCAL_ACTIVITIES).
 */
let profileRead: { task: number; profile: Profile } | undefined;

/** `ledger`: the run's pending decisions, which a deliver writes or hands to its send (FEWER_LOCAL_ACTIVITIES). */
async function perform(effect: Effect, state: RunState, ledger?: DecisionLedger): Promise<RunInput> {
  switch (effect.type) {
    case 'loadProfile': {
      const task = workflowInfo().historyLength;
      const earlier = profileRead?.task === task ? profileRead.profile : undefined;
      const profile =
        earlier !== undefined && patched(FEWER_LOCAL_ACTIVITIES)
          ? earlier
          : await storeActivities().loadProfile(state.customerId);
      profileRead = { task, profile };
      return { kind: 'profileLoaded', profile };
    }
    case 'loadProducts':
      return { kind: 'productsLoaded', products: await storeActivities().loadProducts(effect.skus) };
    case 'decideOffer':
      return {
        kind: 'offerDecided',
        offer: await storeActivities().decideOffer(offerRequest(effect, state, Date.now())),
      };
    case 'updateProfile':
      profileRead = undefined;
      await storeActivities().updateProfile({ customerId: state.customerId, ...effect });
      return { kind: 'profileUpdated' };
    case 'reserveSlot':
      return slotInput(await storeActivities().reserveSlot(slotRequest(effect, state, Date.now())));
    case 'deliver':
      return deliver(effect, state, ledger);
  }
}

async function deliver(
  effect: Extract<Effect, { type: 'deliver' }>,
  state: RunState,
  ledger?: DecisionLedger,
): Promise<RunInput> {
  const context = {
    idempotencyKey: effect.idempotencyKey,
    customerId: state.customerId,
    playbookId: state.playbookId,
    playbookVersion: state.playbookVersion,
    journeyId: state.journeyId,
    entryEventId: state.entryEventId,
    step: effect.stepId,
    arm: state.arm,
    // Sending this message is an impression of its offer (decisions from before offer learning
    // carry no context: theirs is 'none').
    ...(state.offer && {
      offer: { offerId: state.offer.offerId, contextKey: state.offer.contextKey ?? 'none' },
    }),
  };
  const profile = state.profile ?? { customerId: state.customerId };
  const message = renderMessage(effect.template, {
    trigger: state.trigger,
    profile: effect.channel === undefined ? profile : profileForMessage(profile, effect.channel),
    offer: state.offer ?? null,
  });
  if (effect.action === 'suppress' || effect.channel === undefined || effect.to === undefined) {
    await ledger?.flush(state);
    await storeActivities().recordSuppression({
      context,
      reason: effect.reason ?? 'suppressed',
      ...(effect.channel && { channel: effect.channel }),
      ...(effect.to && { to: effect.to }),
      ...(effect.channel === 'email' && message.email && { subject: message.email.subject }),
    });
    return { kind: 'delivered', status: 'suppressed', reason: effect.reason ?? 'suppressed' };
  }
  try {
    if (effect.channel === 'email') {
      if (!message.email) throw new Error(`template of step ${effect.stepId} has no email content`);
      // The purpose decides whether the mail carries an unsubscribe link. An effect planned before
      // purposes existed has none at run time, whatever its type says: that mail goes without.
      const decisions = ledger?.take(state);
      await activities.sendEmail({
        context,
        to: effect.to,
        message: message.email,
        purpose: effect.purpose,
        ...(decisions && { decisions }),
      });
    } else {
      if (message.sms === undefined) throw new Error(`template of step ${effect.stepId} has no SMS text`);
      const decisions = ledger?.take(state);
      await activities.sendSms({
        context,
        to: effect.to,
        body: message.sms,
        ...(decisions && { decisions }),
      });
    }
    return { kind: 'delivered', status: 'sent' };
  } catch (error) {
    // A permanent provider refusal is recorded and the journey goes on; anything else is retried
    // by the activity's policy and only lands here once retries are exhausted.
    // The ActivityFailure only says "Activity task failed"; its cause carries the provider's words.
    const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
    return { kind: 'delivered', status: 'failed', reason: String((cause as Error).message) };
  }
}

/** The Step value last written, so it is upserted only when it changes. */
let shownStep: string | undefined;
/**
 * Values waiting for the end of the workflow task (BATCHED_TASKS): published when the run hands
 * control back to the server (a send, a wait, the end), not at every step it passes, since each
 * upsert is a history event and a visibility write on the server.
 */
const searchAttributes: { arm?: Arm; step?: string } = {};

function publishSearchAttributes(): void {
  const { arm, step } = searchAttributes;
  if (arm === undefined && step === undefined) return;
  upsertSearchAttributes([
    ...(arm === undefined ? [] : [{ key: ArmAttribute, value: arm }]),
    ...(step === undefined ? [] : [{ key: Step, value: step }]),
  ]);
  if (step !== undefined) shownStep = step;
  delete searchAttributes.arm;
  delete searchAttributes.step;
}

function show(state: RunState): void {
  const { position } = state;
  // Paused is where Ops look for a run they stopped (`Step = "paused"`); the details say at which step.
  const step =
    position.kind === 'done'
      ? 'done'
      : state.paused && patched(OPERATOR_ACTIONS)
        ? 'paused'
        : position.stepId;
  if (patched(BATCHED_TASKS)) {
    // Back to the value last published is no change at all.
    if (step === shownStep) delete searchAttributes.step;
    else searchAttributes.step = step;
    // Runs started before this patch upserted Step on every pass; replaying them must do the same.
  } else if (!patched(SEARCH_ATTRIBUTES_ON_CHANGE) || step !== shownStep) {
    upsertSearchAttributes([{ key: Step, value: step }]);
    shownStep = step;
  }
  const until =
    position.kind === 'sleeping' || position.kind === 'waitingForEvent'
      ? ` until ${new Date(position.until).toISOString()}`
      : '';
  const status =
    position.kind === 'done'
      ? `ended: ${state.outcome?.status === 'exited' ? state.outcome.reason : 'completed'}`
      : `${state.paused ? 'paused at' : position.kind === 'at' ? 'at' : position.kind} ${position.stepId}${until}`;
  // Rendered as Markdown by the UI: only the bold is ours, every value is shown as plain text. Current
  // details are not a command in the history, so replay does not compare them: no patch needed.
  setCurrentDetails(
    `**${markdownText(state.playbookId)}** ${markdownText(`v${state.playbookVersion} · ${status} · arm ${state.arm}`)}`,
  );
}
