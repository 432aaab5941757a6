import type { Playbook } from '../../schemas/playbook/schema';

/**
 * A copy of a playbook whose `wait` steps all last `duration`, and whose `waitForEvent` steps time
 * out after it: the demo and the dev-server tests show an hour-long journey in seconds with the
 * real definition otherwise unchanged. `waitUntil` (the next local opening) and `waitUntilDate` (a
 * date the event carries) have no duration to shorten: a demo gives them a daytime timezone or a
 * date close to now instead.
 */
export function withWaits(playbook: Playbook, duration: string, id: string = playbook.id): Playbook {
  return {
    ...playbook,
    id,
    steps: playbook.steps.map((step) => {
      if (step.type === 'wait') return { ...step, duration };
      if (step.type === 'waitForEvent') return { ...step, timeout: duration };
      return step;
    }),
  };
}
