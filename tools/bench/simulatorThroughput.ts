import { resolve } from 'node:path';
import { parseEvent } from '../../schemas/events/parse';
import { loadPlaybooks } from '../../schemas/playbook/load';
import { loadPolicy } from '../../schemas/policy/load';
import { simulate } from '../../simulator/simulate';
import { syntheticEvents } from '../../simulator/syntheticEvents';

export interface SimulatorFigures {
  customers: number;
  days: number;
  events: number;
  decisions: number;
  /** Parsing plus simulating, as `journeys simulate` times it (generation excluded). */
  seconds: number;
  eventsPerSecond: number;
}

/**
 * The simulator in-process, as `journeys simulate` runs it (tools/bench/simulate.sh runs the CLI): the
 * synthetic events of tools/scripts/generateEvents.ts, parsed, through every shipped playbook under the
 * shipped policy, on the virtual clock.
 */
export function benchSimulator(options: { customers: number; days: number }): SimulatorFigures {
  const inputs = [
    ...syntheticEvents({
      customers: options.customers,
      days: options.days,
      start: Date.parse('2026-08-01T00:00:00Z'),
      seed: 42,
    }),
  ];
  const playbooks = loadPlaybooks(resolve(__dirname, '..', '..', 'playbooks'));
  const policy = loadPolicy();
  const started = process.hrtime.bigint();
  const events = inputs.map((input) => parseEvent(input));
  const result = simulate(events, {
    playbooks,
    holdout: { epoch: 1, salt: 'journeys-holdout-v1', globalControlPercent: 5 },
    policy,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    customers: options.customers,
    days: options.days,
    events: result.events,
    decisions: result.decisions.length,
    seconds,
    eventsPerSecond: result.events / seconds,
  };
}
