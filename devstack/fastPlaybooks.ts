import type { Playbook } from '../playbooks/schema';

/**
 * A copy of a playbook whose `wait` steps all last `duration`: the demo and the dev-server tests
 * show an hour-long journey in seconds with the real definition otherwise unchanged.
 */
export function withWaits(playbook: Playbook, duration: string, id: string = playbook.id): Playbook {
  return {
    ...playbook,
    id,
    steps: playbook.steps.map((step) => (step.type === 'wait' ? { ...step, duration } : step)),
  };
}
