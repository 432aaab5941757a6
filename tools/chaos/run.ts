import { join } from 'node:path';
import { connectJourneyClient } from '../../router/connect';
import { loadConfig } from '../../schemas/env';
import { Rng } from '../demo/rng';
import { upsertProfile } from '../../store/profiles';
import { checkChaos, type CheckResult } from './check';
import { engineEvidence, sinkCount, sinkRecords } from './collect';
import { runLoad } from './load';
import { writeChaosPolicy } from './policy';
import type { Scenario } from './scenarios';
import { settle } from './settle';
import { describeStuckRuns } from './stuck';
import { ChaosStack } from './stack';
import { WorkerSupervisor } from './worker';

export interface ScenarioResult extends CheckResult {
  scenario: number;
  name: string;
  seed: number;
  publishes: number;
  publishRetries: number;
  faults: string;
  settled: boolean;
  workerKills: number;
  workerUnexpectedExits: number;
  durationMs: number;
  /** The delivery records behind the first lost actions and duplicates, for a bug report. */
  records: Record<string, unknown>[];
}

const RECORDS_SHOWN = 10;

/** Any loopback URL: nothing needs to answer it, the SMS only carries its key in it. */
const STATUS_CALLBACK_URL = 'http://127.0.0.1:9/sms-status';

/**
 * One scenario on a fresh stack in its own data directory: the plan's customers, the load with the
 * scenario's faults alongside, then settling, then the check against the sinks' records.
 */
export async function runScenario(
  scenario: Scenario,
  seed: number,
  options: { rootDir: string; bundlePath: string; log: (line: string) => void; events?: number },
): Promise<ScenarioResult> {
  const started = Date.now();
  const { log } = options;
  const dataDir = join(options.rootDir, `scenario-${scenario.id}-seed-${seed}`);
  const tag = `s${scenario.id}x${seed}`;
  // One stream for the plan, one for the faults: adding a fault draw does not change the events.
  const planRng = new Rng(seed * 100 + scenario.id);
  const faultRng = new Rng(seed * 100 + scenario.id + 50);
  const stack = await ChaosStack.start(dataDir);
  const policy = writeChaosPolicy(dataDir, scenario.arbitrationWindow);
  const taskQueue = `chaos-${tag}`;
  const env: Record<string, string> = {
    ...stack.env,
    MONGODB_DB: `chaos_${tag}`,
    TEMPORAL_TASK_QUEUE: taskQueue,
    POLICY_FILE: policy.file,
    HOLDOUT_GLOBAL_CONTROL_PERCENT: '0',
    TWILIO_STATUS_CALLBACK_URL: STATUS_CALLBACK_URL,
    WORKFLOW_BUNDLE_FILE: options.bundlePath,
    ...scenario.workerEnv,
  };
  const worker = new WorkerSupervisor(env, join(dataDir, 'worker.log'));
  let connected: Awaited<ReturnType<typeof connectJourneyClient>> | undefined;
  try {
    await worker.start();
    connected = await connectJourneyClient(loadConfig(env), { playbooks: scenario.playbooks });
    const plan = scenario.plan(planRng, tag, policy.caps, options.events ?? scenario.events);
    for (const c of plan.customers) {
      await upsertProfile(
        connected.collections.profiles,
        c.customerId,
        { email: c.email, phone: c.phone, timezone: c.timezone ?? 'UTC' },
        new Date(),
      );
    }
    log(`  ${plan.customers.length} customers, ${plan.load.length} events; load and faults start`);
    const load = runLoad(connected.journeys, plan.load);
    const faults = await scenario.faults({ stack, worker, loadDone: load, log }, faultRng);
    const loaded = await load;
    log(
      `  load done in ${(loaded.durationMs / 1000).toFixed(1)} s (${loaded.retries} retried publishes); faults: ${faults}`,
    );
    for (const [reason, n] of Object.entries(loaded.retryReasons))
      log(`    publish retried ${n}×: ${reason}`);
    await worker.restartIfDown();
    const settled = await settle({
      temporal: connected.temporal,
      collections: connected.collections,
      taskQueue,
      sinkCount: () => sinkCount(stack),
      maxMs: scenario.settleMaxMs,
    });
    log(
      `  ${settled.settled ? 'settled' : 'NOT settled'} after ${(settled.waitedMs / 1000).toFixed(1)} s (running runs ${settled.running}, sending ${settled.sending})`,
    );
    const evidence = await engineEvidence(
      connected.collections,
      plan.customers.map((c) => c.customerId),
    );
    const result = checkChaos({
      customers: plan.customers,
      acknowledged: loaded.acknowledged,
      expected: plan.expected,
      ...sinkRecords(stack),
      policy: policy.caps,
      ...evidence,
    });
    const wanted = [
      ...result.lostActions.slice(0, RECORDS_SHOWN).map((l) => ({ customerId: l.customerId })),
      ...result.duplicateKeys.slice(0, RECORDS_SHOWN).map((d) => ({ idempotencyKey: d.key })),
    ];
    const records: Record<string, unknown>[] =
      wanted.length === 0
        ? []
        : await connected.collections.deliveries
            .find(
              { $or: wanted },
              {
                projection: {
                  _id: 0,
                  idempotencyKey: 1,
                  status: 1,
                  reason: 1,
                  reconciled: 1,
                  attempts: 1,
                  channel: 1,
                  customerId: 1,
                },
              },
            )
            .toArray();
    if (!settled.settled) {
      records.push(
        ...(await describeStuckRuns(connected.temporal, taskQueue).catch((error: unknown) => [
          { error: String(error) },
        ])),
      );
    }
    return {
      scenario: scenario.id,
      name: scenario.name,
      seed,
      ...result,
      publishes: loaded.publishes,
      publishRetries: loaded.retries,
      faults,
      settled: settled.settled,
      workerKills: worker.kills,
      workerUnexpectedExits: worker.unexpectedExits,
      durationMs: Date.now() - started,
      records,
    };
  } finally {
    await connected?.close().catch(() => undefined);
    await worker.stop().catch(() => undefined);
    await stack.stop();
  }
}
